package dev.wrenn.guest.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A request body as the handler reads it: {@link #read(ByteBuffer)} lets a handler that writes to a channel (an
 * upload into a file) take the bytes without a copy through an array. Closing it does not consume it: the connection
 * drains what the handler left before it reads the next request.
 */
public abstract sealed class RequestBody extends InputStream permits FixedLengthBody, ChunkedBody {

    /** Up to {@code target.remaining()} bytes; -1 at the end of the body. */
    public abstract int read(ByteBuffer target) throws IOException;

    /** Whether the body is known to hold fewer than {@code bytes} more bytes (never for a chunked body). */
    public abstract boolean shorterThan(long bytes);

    /** Whether every byte of the body has been read. */
    abstract boolean finished();

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /** Reads and drops the rest of the body if it is at most {@code maxBytes}; true when the body is then finished. */
    boolean drain(long maxBytes) throws IOException {
        byte[] sink = new byte[8192];
        long left = maxBytes;
        while (!finished() && left > 0) {
            int n = read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                break;
            }
            left -= n;
        }
        return finished();
    }
}
