package dev.wrenn.connect;

/** Where a server-streaming handler writes its messages. Thread-safe: several threads may send. */
public interface StreamSink<T> {
    /**
     * Writes and flushes one message envelope.
     *
     * @throws StreamClosedException when the client has gone away or the call was cancelled
     */
    void send(T message);

    /** True once nothing more can be sent (client gone, call cancelled or ended). */
    boolean isClosed();

    /** Thrown by {@link #send} when the stream cannot take more messages. */
    final class StreamClosedException extends RuntimeException {
        public StreamClosedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
