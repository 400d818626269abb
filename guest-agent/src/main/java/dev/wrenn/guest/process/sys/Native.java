package dev.wrenn.guest.process.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Finds libc functions for FFM downcalls. Functions that report failure through errno get the captured errno
 * slot as their first argument; {@link #check} runs such a call and turns -1 into an {@link ErrnoException}.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle STRERROR = function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Native() {}

    /** A call that receives the errno slot and returns the libc result (-1 on failure). */
    @FunctionalInterface
    public interface ErrnoCall {
        long call(MemorySegment errnoSlot) throws Throwable;
    }

    /** A libc function that reports errors as its return value (the posix_spawn family). */
    public static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /** A libc function that sets errno; the handle takes the errno slot as an extra first argument. */
    public static MethodHandle errnoFunction(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    /** Like {@link #errnoFunction} for C variadic functions (fcntl, ioctl, prctl). */
    public static MethodHandle variadicErrnoFunction(
            String name, FunctionDescriptor descriptor, int firstVariadicArgument) {
        return LINKER.downcallHandle(
                symbol(name),
                descriptor,
                Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(firstVariadicArgument));
    }

    /** Whether this libc has the function (some are GNU extensions of recent versions). */
    public static boolean has(String name) {
        return LINKER.defaultLookup().find(name).isPresent();
    }

    /** Runs {@code call}; a result of -1 becomes an {@link ErrnoException} naming {@code operation}. */
    public static long check(String operation, ErrnoCall call) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(CAPTURE_LAYOUT);
            long result = call.call(slot);
            if (result == -1) {
                throw new ErrnoException(operation, (int) ERRNO.get(slot, 0L));
            }
            return result;
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed unexpectedly: " + operation, t);
        }
    }

    /** The C library's text for an error number, e.g. "No such file or directory". */
    public static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    private static MemorySegment symbol(String name) {
        Optional<MemorySegment> found = LINKER.defaultLookup().find(name);
        return found.orElseThrow(() -> new UnsupportedOperationException("the C library has no function " + name));
    }
}
