package dev.wrenn.connect;

import java.util.Iterator;

/** The three kinds of RPC handler the server dispatches to. */
public final class Handlers {
    private Handlers() {}

    /** One request, one response. Throw {@link ConnectException} for an error. */
    @FunctionalInterface
    public interface Unary<I, O> {
        O handle(I request, CallContext context);
    }

    /**
     * One request, a stream of responses written to {@code sink}. The stream ends (end-stream message) when the
     * method returns, or with an error when it throws {@link ConnectException}.
     */
    @FunctionalInterface
    public interface ServerStreaming<I, O> {
        void handle(I request, CallContext context, StreamSink<O> sink);
    }

    /** A stream of requests read lazily from {@code requests}, one response. */
    @FunctionalInterface
    public interface ClientStreaming<I, O> {
        O handle(Iterator<I> requests, CallContext context);
    }
}
