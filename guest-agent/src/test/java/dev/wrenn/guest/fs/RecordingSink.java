package dev.wrenn.guest.fs;

import dev.wrenn.connect.StreamSink;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A stream sink for tests: keeps every message in order; close() makes further sends fail like a gone client. */
public final class RecordingSink<T> implements StreamSink<T> {
    private final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    @Override
    public void send(T message) {
        if (closed) {
            throw new StreamClosedException("client went away", null);
        }
        messages.add(message);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
    }

    /** The next message, failing the test if none arrives within {@code timeout}. */
    public T next(Duration timeout) throws InterruptedException {
        T message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no stream message within " + timeout);
        }
        return message;
    }
}
