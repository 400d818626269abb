package dev.wrenn.guest.http.init;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** clock_settime(CLOCK_REALTIME) through the FFM API (the JDK has no call to set the system clock). */
public final class LinuxSystemClock implements SystemClock {
    private static final Logger log = LoggerFactory.getLogger(LinuxSystemClock.class);
    private static final int CLOCK_REALTIME = 0;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle CLOCK_SETTIME = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("clock_settime"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle GETEUID =
            LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("geteuid"), FunctionDescriptor.of(JAVA_INT));

    public static boolean runningAsRoot() {
        try {
            return (int) GETEUID.invokeExact() == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("calling geteuid", e);
        }
    }

    @Override
    public void set(Instant now) throws IOException {
        if (!runningAsRoot()) {
            log.info("not setting the system clock to {}: the agent does not run as root", now);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(JAVA_LONG, 2);
            timespec.setAtIndex(JAVA_LONG, 0, now.getEpochSecond());
            timespec.setAtIndex(JAVA_LONG, 1, now.getNano());
            MemorySegment state = arena.allocate(CAPTURE);
            int result = invoke(state, timespec);
            if (result != 0) {
                throw new IOException(
                        "clock_settime(CLOCK_REALTIME, " + now + ") failed: errno " + (int) ERRNO.get(state, 0L));
            }
        }
    }

    private static int invoke(MemorySegment state, MemorySegment timespec) {
        try {
            return (int) CLOCK_SETTIME.invokeExact(state, CLOCK_REALTIME, timespec);
        } catch (Throwable e) {
            throw new IllegalStateException("calling clock_settime", e);
        }
    }
}
