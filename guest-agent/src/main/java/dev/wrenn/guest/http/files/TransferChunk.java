package dev.wrenn.guest.http.files;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A large reusable byte array for moving file bodies. Big chunks mean one file write or socket write per chunk
 * instead of one per small read of a decoded body (gzip, multipart), which is where those transfers spent their time;
 * pooling a few spares zeroing a fresh megabyte on every request. A transfer holds at most two chunks, so files
 * still stream.
 */
final class TransferChunk implements AutoCloseable {
    static final int SIZE = 1 << 20;
    private static final BlockingQueue<byte[]> SPARE = new ArrayBlockingQueue<>(4);

    private byte[] bytes;

    private TransferChunk(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A chunk of {@link #SIZE} bytes. */
    static TransferChunk lease() {
        byte[] spare = SPARE.poll();
        return new TransferChunk(spare != null ? spare : new byte[SIZE]);
    }

    /** A chunk of {@code needed} bytes when that is less than {@link #SIZE} (small files get small arrays), else a full one. */
    static TransferChunk lease(long needed) {
        return needed < SIZE ? new TransferChunk(new byte[(int) needed]) : lease();
    }

    byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("transfer chunk used after it was returned");
        }
        return bytes;
    }

    @Override
    public void close() {
        if (bytes != null && bytes.length == SIZE) {
            SPARE.offer(bytes); // dropped when the pool is full
        }
        bytes = null;
    }
}
