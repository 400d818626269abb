package dev.wrenn.guest.http.files;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A pooled 1 MiB direct buffer for moving an upload from the socket into its file with no array in between. Pooled
 * because a direct buffer is zeroed when allocated and freed only by a later GC; a few spares serve concurrent
 * uploads.
 */
final class DirectChunk implements AutoCloseable {
    static final int SIZE = 1 << 20;
    private static final BlockingQueue<ByteBuffer> SPARE = new ArrayBlockingQueue<>(4);

    private ByteBuffer buffer;

    private DirectChunk(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    static DirectChunk lease() {
        ByteBuffer spare = SPARE.poll();
        return new DirectChunk(spare != null ? spare.clear() : ByteBuffer.allocateDirect(SIZE));
    }

    ByteBuffer buffer() {
        if (buffer == null) {
            throw new IllegalStateException("direct chunk used after it was returned");
        }
        return buffer;
    }

    @Override
    public void close() {
        if (buffer != null) {
            SPARE.offer(buffer); // dropped when the pool is full
        }
        buffer = null;
    }
}
