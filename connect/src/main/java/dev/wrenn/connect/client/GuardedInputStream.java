package dev.wrenn.connect.client;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A response body from a peer that is not trusted: at most {@code maxBytes} are read, the whole body must arrive
 * before an optional deadline, and no single read may wait longer than an optional idle limit. The idle clock runs
 * only while a caller is blocked in a read, so a slow consumer is never blamed on the peer. When a time limit
 * passes, a watchdog (one virtual thread) closes the underlying stream, which unblocks the pending read; the read
 * then throws {@link ReadLimitException}. Closing this stream stops the watchdog.
 */
public final class GuardedInputStream extends InputStream {
    private static final long NONE = Long.MAX_VALUE;
    private static final long MAX_NAP_NANOS = Duration.ofMillis(250).toNanos();

    private final InputStream in;
    private final String what;
    private final long maxBytes;
    private final long deadlineAt;
    private final long idleNanos;
    private final Thread watchdog;
    private long count;
    private volatile long readingSince;
    private volatile ReadLimitException expired;
    private volatile boolean closed;

    /**
     * @param what names the body in errors, e.g. "the answer of GET /metrics from sandbox sb-1"
     * @param deadlineOrNull the time the whole body may take, from now
     * @param idleOrNull the longest a read may wait for the peer's next byte
     */
    public GuardedInputStream(
            InputStream in, String what, long maxBytes, Duration deadlineOrNull, Duration idleOrNull) {
        this.in = in;
        this.what = what;
        this.maxBytes = maxBytes;
        this.deadlineAt = deadlineOrNull == null ? NONE : System.nanoTime() + deadlineOrNull.toNanos();
        this.idleNanos = idleOrNull == null ? NONE : idleOrNull.toNanos();
        this.watchdog = deadlineOrNull == null && idleOrNull == null
                ? null
                : Thread.ofVirtual().name("guarded-read").start(this::watch);
    }

    /** A body with a size cap only. */
    public static GuardedInputStream capped(InputStream in, String what, long maxBytes) {
        return new GuardedInputStream(in, what, maxBytes, null, null);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        throwIfExpired(null);
        // One byte past the cap is enough to tell "exactly the cap" from "more".
        int allowed = (int) Math.min(length, maxBytes - count + 1);
        int n;
        readingSince = System.nanoTime();
        try {
            n = in.read(buffer, offset, Math.max(1, allowed));
        } catch (IOException e) {
            throwIfExpired(e);
            throw e;
        } finally {
            readingSince = 0;
        }
        throwIfExpired(null);
        if (n > 0) {
            count += n;
            if (count > maxBytes) {
                close();
                throw new ReadLimitException(
                        ReadLimitException.Kind.SIZE, what + " exceeds the limit of " + maxBytes + " bytes", null);
            }
        }
        return n;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (watchdog != null) {
            watchdog.interrupt();
        }
        in.close();
    }

    private void throwIfExpired(IOException cause) throws ReadLimitException {
        ReadLimitException e = expired;
        if (e != null) {
            throw new ReadLimitException(e.kind(), e.getMessage(), cause);
        }
    }

    private void watch() {
        try {
            while (!closed) {
                long now = System.nanoTime();
                long since = readingSince;
                if (deadlineAt != NONE && now - deadlineAt >= 0) {
                    expire(ReadLimitException.Kind.DEADLINE, what + " did not arrive within its deadline");
                    return;
                }
                if (since != 0 && idleNanos != NONE && now - since >= idleNanos) {
                    expire(
                            ReadLimitException.Kind.IDLE,
                            what + " stalled: nothing arrived for " + Duration.ofNanos(idleNanos));
                    return;
                }
                Thread.sleep(Duration.ofNanos(Math.min(MAX_NAP_NANOS, Math.max(1, idleNanos / 8))));
            }
        } catch (InterruptedException stopped) {
            // Closed: nothing left to watch.
        }
    }

    private void expire(ReadLimitException.Kind kind, String message) {
        expired = new ReadLimitException(kind, message, null);
        try {
            in.close(); // unblocks the pending read, which then reports why
        } catch (IOException ignored) {
            // The read fails either way.
        }
    }
}
