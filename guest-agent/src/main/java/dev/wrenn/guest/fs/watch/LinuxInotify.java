package dev.wrenn.guest.fs.watch;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls a directory watch needs, bound through FFM. Linux inotify is used directly (rather than
 * java.nio's WatchService) because only it reports attribute changes and the two halves of a rename.
 */
final class LinuxInotify {
    static final int IN_MODIFY = 0x2;
    static final int IN_ATTRIB = 0x4;
    static final int IN_MOVED_FROM = 0x40;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_CREATE = 0x100;
    static final int IN_DELETE = 0x200;
    static final int IN_DELETE_SELF = 0x400;
    static final int IN_MOVE_SELF = 0x800;
    static final int IN_Q_OVERFLOW = 0x4000;
    static final int IN_IGNORED = 0x8000;
    static final int IN_ONLYDIR = 0x01000000;
    static final int IN_DONT_FOLLOW = 0x02000000;
    static final int IN_ISDIR = 0x40000000;

    static final int EINTR = 4;
    static final int EAGAIN = 11;

    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final short POLLIN = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle INOTIFY_INIT1 =
            bind("inotify_init1", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle INOTIFY_ADD_WATCH = bind(
            "inotify_add_watch",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle INOTIFY_RM_WATCH = bind(
            "inotify_rm_watch",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle EVENTFD =
            bind("eventfd", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = bind(
            "read",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = bind(
            "write",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle POLL = bind(
            "poll",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE =
            bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private LinuxInotify() {}

    @SuppressWarnings("restricted") // the agent is started with --enable-native-access
    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol =
                LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no function " + name));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }

    /** A new non-blocking, close-on-exec inotify instance. */
    static int init() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO_STATE);
            int fd = (int) INOTIFY_INIT1.invokeExact(errno, O_NONBLOCK | O_CLOEXEC);
            return check(fd, errno, "inotify_init1");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** An eventfd used only to wake the reader thread when the watch closes. */
    static int eventFd() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO_STATE);
            int fd = (int) EVENTFD.invokeExact(errno, 0, O_NONBLOCK | O_CLOEXEC);
            return check(fd, errno, "eventfd");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Adds (or updates) a watch on {@code path}; returns its watch descriptor. */
    static int addWatch(int fd, String path, int mask) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO_STATE);
            int wd = (int) INOTIFY_ADD_WATCH.invokeExact(errno, fd, arena.allocateFrom(path), mask);
            return check(wd, errno, "inotify_add_watch " + path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Removes a watch; failures are ignored because the kernel may have dropped it already. */
    static void removeWatch(int fd, int wd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) INOTIFY_RM_WATCH.invokeExact(arena.allocate(ERRNO_STATE), fd, wd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Waits until {@code readableFd} or {@code wakeFd} can be read. Returns true when {@code readableFd} has data,
     * false when woken through {@code wakeFd}.
     */
    static boolean awaitReadable(int readableFd, int wakeFd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(16, 4);
            fds.set(ValueLayout.JAVA_INT, 0, readableFd);
            fds.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            fds.set(ValueLayout.JAVA_INT, 8, wakeFd);
            fds.set(ValueLayout.JAVA_SHORT, 12, POLLIN);
            MemorySegment errno = arena.allocate(ERRNO_STATE);
            while (true) {
                int ready = (int) POLL.invokeExact(errno, fds, 2L, -1);
                if (ready < 0 && errnoOf(errno) == EINTR) {
                    continue;
                }
                check(ready, errno, "poll");
                return fds.get(ValueLayout.JAVA_SHORT, 14) == 0;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reads into {@code buffer}; returns the byte count, or 0 when nothing is available now. */
    static int read(int fd, MemorySegment buffer) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO_STATE);
            long count = (long) READ.invokeExact(errno, fd, buffer, buffer.byteSize());
            if (count < 0 && (errnoOf(errno) == EAGAIN || errnoOf(errno) == EINTR)) {
                return 0;
            }
            return (int) check(count, errno, "read inotify events");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Makes an eventfd readable, waking a thread that polls it. */
    static void signal(int eventFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
            long ignored = (long) WRITE.invokeExact(arena.allocate(ERRNO_STATE), eventFd, one, 8L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(arena.allocate(ERRNO_STATE), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int errnoOf(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static long check(long result, MemorySegment errno, String operation) throws IOException {
        if (result < 0) {
            throw new IOException(operation + " failed: " + describe(errnoOf(errno)));
        }
        return result;
    }

    /** The errors a watch can realistically meet, in words an operator can act on. */
    private static String describe(int errno) {
        return switch (errno) {
            case 2 -> "no such file or directory";
            case 13 -> "permission denied";
            case 20 -> "not a directory";
            case 24 -> "too many open files or inotify instances (fs.inotify.max_user_instances)";
            case 28 -> "inotify watch limit reached (fs.inotify.max_user_watches)";
            default -> "errno " + errno;
        };
    }

    private static int check(int result, MemorySegment errno, String operation) throws IOException {
        return (int) check((long) result, errno, operation);
    }
}
