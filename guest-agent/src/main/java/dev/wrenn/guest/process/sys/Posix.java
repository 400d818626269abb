package dev.wrenn.guest.process.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.OptionalInt;

/**
 * The few POSIX calls the process service needs that the JDK does not offer: pipes it can poll, signals to whole
 * process groups, waitpid with the raw status (the JDK folds "killed by signal 9" into exit code 137), and
 * PR_SET_CHILD_SUBREAPER. Constants are the Linux values shared by x86-64 and arm64.
 */
public final class Posix {
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0x100;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int ECHILD = 10;
    public static final int ESRCH = 3;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int WNOHANG = 1;
    /** What {@link #read} and {@link #write} return when a non-blocking descriptor is not ready. */
    public static final int WOULD_BLOCK = -1;

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    // The same number on every architecture: syscalls added since Linux 5.1 share one table.
    private static final long SYS_PIDFD_OPEN = 434;

    private static final MethodHandle PIPE2 =
            Native.errnoFunction("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCNTL =
            Native.variadicErrnoFunction("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = Native.errnoFunction("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ =
            Native.errnoFunction("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE =
            Native.errnoFunction("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL =
            Native.errnoFunction("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle KILL =
            Native.errnoFunction("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WAITPID =
            Native.errnoFunction("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SYSCALL_INT_INT =
            Native.variadicErrnoFunction("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT), 1);
    private static final MethodHandle GETEUID = Native.function("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle PRCTL = Native.variadicErrnoFunction(
            "prctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);

    private Posix() {}

    /** A pipe whose both ends are close-on-exec; returns {read end, write end}. */
    public static int[] pipe() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Native.check("pipe2", slot -> (int) PIPE2.invokeExact(slot, fds, O_CLOEXEC));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /** Makes reads and writes on this open file description return instead of blocking. */
    public static void setNonBlocking(int fd) throws ErrnoException {
        int flags =
                (int) Native.check("fcntl(F_GETFL) fd " + fd, slot -> (int) FCNTL.invokeExact(slot, fd, F_GETFL, 0));
        Native.check("fcntl(F_SETFL) fd " + fd, slot -> (int) FCNTL.invokeExact(slot, fd, F_SETFL, flags | O_NONBLOCK));
    }

    public static void close(int fd) throws ErrnoException {
        Native.check("close fd " + fd, slot -> (int) CLOSE.invokeExact(slot, fd));
    }

    /** Closes and ignores errors: for clean-up paths where the descriptor is no longer needed. */
    public static void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (ErrnoException ignored) {
            // Nothing useful to do: the descriptor is released either way on Linux.
        }
    }

    /** Bytes read into {@code buffer} (0 at end of file), or {@link #WOULD_BLOCK}. */
    public static int read(int fd, MemorySegment buffer) throws ErrnoException {
        return transfer("read fd " + fd, READ, fd, buffer);
    }

    /** Bytes written from {@code buffer}, or {@link #WOULD_BLOCK}. */
    public static int write(int fd, MemorySegment buffer) throws ErrnoException {
        return transfer("write fd " + fd, WRITE, fd, buffer);
    }

    private static int transfer(String operation, MethodHandle call, int fd, MemorySegment buffer)
            throws ErrnoException {
        while (true) {
            try {
                return (int)
                        Native.check(operation, slot -> (long) call.invokeExact(slot, fd, buffer, buffer.byteSize()));
            } catch (ErrnoException e) {
                if (e.errno() == EAGAIN) {
                    return WOULD_BLOCK;
                }
                if (e.errno() != EINTR) {
                    throw e;
                }
            }
        }
    }

    /**
     * Waits until one of {@code fds} has one of {@code events} or {@code timeoutMillis} pass. Fills
     * {@code revents} (same length as {@code fds}) and returns how many descriptors are ready (0 on timeout).
     */
    public static int poll(int[] fds, short events, short[] revents, int timeoutMillis) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(8L * fds.length, 8);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(JAVA_INT, 8L * i, fds[i]);
                pollfds.set(JAVA_SHORT, 8L * i + 4, events);
            }
            int ready = pollOnce(pollfds, fds.length, timeoutMillis);
            for (int i = 0; i < fds.length; i++) {
                revents[i] = ready > 0 ? pollfds.get(JAVA_SHORT, 8L * i + 6) : 0;
            }
            return Math.max(ready, 0);
        }
    }

    private static int pollOnce(MemorySegment pollfds, int count, int timeoutMillis) throws ErrnoException {
        try {
            return (int)
                    Native.check("poll", slot -> (int) POLL.invokeExact(slot, pollfds, (long) count, timeoutMillis));
        } catch (ErrnoException e) {
            if (e.errno() == EINTR) {
                return 0;
            }
            throw e;
        }
    }

    /** Sends {@code signal} to process {@code pid} (a negative pid names a process group); false if none exists. */
    public static boolean kill(int pid, int signal) throws ErrnoException {
        try {
            Native.check("kill(" + pid + ", " + signal + ")", slot -> (int) KILL.invokeExact(slot, pid, signal));
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == ESRCH) {
                return false;
            }
            throw e;
        }
    }

    /** The raw wait status of child {@code pid}; empty when {@code options} has WNOHANG and it still runs. */
    public static OptionalInt waitpid(int pid, int options) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                try {
                    long reaped = Native.check(
                            "waitpid " + pid, slot -> (int) WAITPID.invokeExact(slot, pid, status, options));
                    return reaped == 0 ? OptionalInt.empty() : OptionalInt.of(status.get(JAVA_INT, 0));
                } catch (ErrnoException e) {
                    if (e.errno() != EINTR) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * A close-on-exec descriptor that becomes readable (POLLIN) when child {@code pid} exits, so one poll can wait
     * for output and exit together; empty when the kernel is older than 5.3 and has no pidfd_open.
     */
    public static OptionalInt pidfdOpen(int pid) throws ErrnoException {
        try {
            long fd = Native.check(
                    "pidfd_open " + pid, slot -> (long) SYSCALL_INT_INT.invokeExact(slot, SYS_PIDFD_OPEN, pid, 0));
            return OptionalInt.of((int) fd);
        } catch (ErrnoException e) {
            if (e.errno() == ENOSYS) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("geteuid failed", t);
        }
    }

    /** Makes orphaned descendants of this JVM its children instead of PID 1's, so it can reap them. */
    public static void becomeChildSubreaper() throws ErrnoException {
        Native.check("prctl(PR_SET_CHILD_SUBREAPER)", slot ->
                (int) PRCTL.invokeExact(slot, PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L));
    }
}
