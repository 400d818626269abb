package dev.wrenn.guest.process.pty;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.Native;
import dev.wrenn.guest.process.sys.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pseudo-terminal pair. The agent keeps only the master (non-blocking, close-on-exec); the child opens the slave
 * by its path after becoming a session leader, which makes the slave its controlling terminal. The agent never
 * opens the slave itself, so it cannot acquire it as its own controlling terminal.
 */
public final class Pty implements AutoCloseable {
    private static final long TIOCSWINSZ = 0x5414;
    private static final MethodHandle POSIX_OPENPT =
            Native.errnoFunction("posix_openpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GRANTPT =
            Native.errnoFunction("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UNLOCKPT =
            Native.errnoFunction("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PTSNAME_R =
            Native.function("ptsname_r", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IOCTL =
            Native.variadicErrnoFunction("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);

    private final int master;
    private final String slavePath;
    private volatile boolean closed;

    private Pty(int master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /** Opens a new terminal pair sized {@code cols} x {@code rows}. */
    public static Pty open(int cols, int rows) throws ErrnoException {
        int flags = Posix.O_RDWR | Posix.O_NOCTTY | Posix.O_CLOEXEC | Posix.O_NONBLOCK;
        int master = (int) Native.check("posix_openpt", slot -> (int) POSIX_OPENPT.invokeExact(slot, flags));
        try {
            Native.check("grantpt", slot -> (int) GRANTPT.invokeExact(slot, master));
            Native.check("unlockpt", slot -> (int) UNLOCKPT.invokeExact(slot, master));
            Pty pty = new Pty(master, slaveName(master));
            pty.resize(cols, rows);
            return pty;
        } catch (ErrnoException | RuntimeException e) {
            Posix.closeQuietly(master);
            throw e;
        }
    }

    private static String slaveName(int master) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(128);
            int error = (int) PTSNAME_R.invokeExact(master, name, name.byteSize());
            if (error != 0) {
                throw new ErrnoException("ptsname_r", error);
            }
            return name.getString(0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ptsname_r failed unexpectedly", t);
        }
    }

    /** Sets the window size; the kernel sends SIGWINCH to the terminal's foreground process group. */
    public void resize(int cols, int rows) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment winsize = arena.allocate(8, 2); // struct winsize: rows, cols, xpixel, ypixel
            winsize.set(JAVA_SHORT, 0, (short) rows);
            winsize.set(JAVA_SHORT, 2, (short) cols);
            Native.check("ioctl(TIOCSWINSZ) " + slavePath, slot ->
                    (int) IOCTL.invokeExact(slot, master, TIOCSWINSZ, winsize));
        }
    }

    /** Gives the slave device to user {@code uid}; only root can, and only another user needs it. */
    public void setOwner(int uid) throws IOException {
        if (uid != Posix.geteuid() && Posix.geteuid() == 0) {
            Files.setAttribute(Path.of(slavePath), "unix:uid", uid);
        }
    }

    /** The master side: read for the terminal's output, write for its keyboard input. */
    public int masterFd() {
        return master;
    }

    /** The slave device the child opens, e.g. /dev/pts/3. */
    public String slavePath() {
        return slavePath;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Posix.closeQuietly(master);
        }
    }
}
