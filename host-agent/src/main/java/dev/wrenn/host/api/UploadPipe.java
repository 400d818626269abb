package dev.wrenn.host.api;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntConsumer;

/**
 * The body of a streamed upload: chunks arrive from gRPC callbacks and the HTTP client reads them on its own
 * thread. gRPC is asked for one more message per chunk consumed, so at most {@link #WINDOW} chunks wait here: a
 * slow guest slows the caller down instead of filling the host's memory.
 */
final class UploadPipe extends InputStream {
    static final int WINDOW = 8;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final IntConsumer requestMessages;
    private ByteString current = ByteString.EMPTY;
    private int offset;
    private long bytesRead;
    private boolean ended;

    /** @param requestMessages asks gRPC for that many more request messages */
    UploadPipe(IntConsumer requestMessages) {
        this.requestMessages = requestMessages;
    }

    void start() {
        requestMessages.accept(WINDOW);
    }

    void offer(ByteString chunk) {
        queue.add(chunk);
    }

    /** The caller half-closed: the body ends after the chunks already queued. */
    void finish() {
        queue.add(END);
    }

    /** The next read fails, so the HTTP client aborts the request and the guest removes the partial file. */
    void abort(String reason) {
        queue.add(new IOException(reason));
    }

    long bytesRead() {
        return bytesRead;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (offset == current.size()) {
            if (ended || !nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(len, current.size() - offset);
        current.copyTo(target, offset, off, n);
        offset += n;
        bytesRead += n;
        return n;
    }

    private boolean nextChunk() throws IOException {
        Object item = take();
        if (item == END) {
            ended = true;
            return false;
        }
        if (item instanceof IOException failure) {
            queue.add(failure); // every later read fails the same way
            throw new IOException(failure.getMessage(), failure);
        }
        current = (ByteString) item;
        offset = 0;
        requestMessages.accept(1);
        return true;
    }

    private Object take() throws InterruptedIOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("upload interrupted");
        }
    }
}
