package dev.wrenn.guest.process;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes client input to a process: its stdin pipe or its PTY master. The descriptor is non-blocking, so a full
 * pipe makes the caller sleep (unmounting a virtual thread) instead of pinning it in a blocking native write; and a
 * close request interrupts a write waiting on a process that never reads.
 */
final class InputChannel {
    private static final long MAX_BACKOFF_MILLIS = 50;

    private final int fd;
    private final String name;
    private final boolean ownsFd;
    private volatile boolean closeRequested;
    private boolean closed;

    /** @param ownsFd whether {@link #close} closes the descriptor (a PTY master is closed with its Pty) */
    InputChannel(int fd, String name, boolean ownsFd) {
        this.fd = fd;
        this.name = name;
        this.ownsFd = ownsFd;
    }

    synchronized void write(byte[] data) {
        if (closed || closeRequested) {
            throw new ConnectException(Code.FAILED_PRECONDITION, name + " is closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(ValueLayout.JAVA_BYTE, data);
            writeFully(bytes);
        } catch (ErrnoException e) {
            throw new ConnectException(Code.FAILED_PRECONDITION, "writing to " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException(Code.CANCELED, "writing to " + name + " was interrupted");
        }
    }

    private void writeFully(MemorySegment bytes) throws ErrnoException, InterruptedException {
        long offset = 0;
        long backoff = 1;
        while (offset < bytes.byteSize()) {
            if (closeRequested) {
                throw new ConnectException(Code.FAILED_PRECONDITION, name + " was closed during the write");
            }
            int written = Posix.write(fd, bytes.asSlice(offset));
            if (written == Posix.WOULD_BLOCK) {
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            } else {
                offset += written;
                backoff = 1;
            }
        }
    }

    /** Closes the channel; waits for a write in progress to stop. Idempotent. */
    void close() {
        closeRequested = true;
        synchronized (this) {
            if (!closed) {
                closed = true;
                if (ownsFd) {
                    Posix.closeQuietly(fd);
                }
            }
        }
    }

    boolean isClosed() {
        return closeRequested;
    }
}
