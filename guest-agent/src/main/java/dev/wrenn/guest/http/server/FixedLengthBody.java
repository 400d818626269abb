package dev.wrenn.guest.http.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A body of a known {@code Content-Length} (zero for requests that declare none). */
final class FixedLengthBody extends RequestBody {
    private final SocketInput in;
    private long remaining;

    FixedLengthBody(SocketInput in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(bytes, offset, (int) Math.min(length, remaining));
        return counted(n);
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        return counted(in.read(target, remaining));
    }

    private int counted(int n) throws EOFException {
        if (n < 0) {
            throw new EOFException("the connection closed with " + remaining + " bytes of the request body missing");
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(remaining, in.buffered());
    }

    @Override
    public boolean shorterThan(long bytes) {
        return remaining < bytes;
    }

    @Override
    boolean finished() {
        return remaining == 0;
    }
}
