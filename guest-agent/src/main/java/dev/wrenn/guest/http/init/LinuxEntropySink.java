package dev.wrenn.guest.http.init;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the seed into /dev/urandom (mixed into the input pool, never credited) and then asks the kernel to re-key
 * its generator from that pool with {@code ioctl(RNDRESEEDCRNG)}. The write alone is not enough on Linux 5.18+: the
 * generator re-keys from the pool only once a minute, so a clone would keep its template's key until then.
 */
final class LinuxEntropySink implements EntropySink {
    private static final Logger log = LoggerFactory.getLogger(LinuxEntropySink.class);
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    /** _IO('R', 0x07) from linux/random.h. */
    private static final long RNDRESEEDCRNG = 0x5207;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WRITE =
            downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    @Override
    public void reseed(byte[] seed) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int fd = open(errno, arena.allocateFrom("/dev/urandom"));
            check(fd >= 0, "opening /dev/urandom", errno);
            try {
                MemorySegment bytes = arena.allocateFrom(JAVA_BYTE, seed);
                long written = write(errno, fd, bytes, seed.length);
                check(written == seed.length, "writing the seed into /dev/urandom", errno);
                if (!LinuxSystemClock.runningAsRoot()) {
                    log.info("seed mixed in but the generator not re-keyed: the agent does not run as root");
                    return;
                }
                int result = ioctl(errno, fd);
                check(result == 0, "ioctl(RNDRESEEDCRNG) on /dev/urandom", errno);
            } finally {
                close(fd);
            }
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(
                LINKER.defaultLookup().findOrThrow(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    // Exact invocations, not invokeWithArguments: the generic path builds adapters on every call, which a restored
    // guest under TCG pays for on the /init every clone waits for.
    private static int open(MemorySegment errno, MemorySegment path) {
        try {
            return (int) OPEN.invokeExact(errno, path, O_WRONLY | O_CLOEXEC);
        } catch (Throwable e) {
            throw new IllegalStateException("calling open", e);
        }
    }

    private static long write(MemorySegment errno, int fd, MemorySegment bytes, long length) {
        try {
            return (long) WRITE.invokeExact(errno, fd, bytes, length);
        } catch (Throwable e) {
            throw new IllegalStateException("calling write", e);
        }
    }

    private static int ioctl(MemorySegment errno, int fd) {
        try {
            return (int) IOCTL.invokeExact(errno, fd, RNDRESEEDCRNG);
        } catch (Throwable e) {
            throw new IllegalStateException("calling ioctl", e);
        }
    }

    private static void check(boolean ok, String what, MemorySegment errno) throws IOException {
        if (!ok) {
            throw new IOException(what + " failed: errno " + (int) ERRNO.get(errno, 0L));
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            log.debug("closing /dev/urandom descriptor {}: {}", fd, e.getMessage());
        }
    }
}
