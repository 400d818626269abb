package dev.wrenn.host.api;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.locks.LockSupport;

/**
 * Back-pressure and cancellation for a server stream whose handler blocks while it produces messages. gRPC delivers
 * the on-ready and on-cancel callbacks on the same serialized executor that runs the blocked handler, so they would
 * never arrive (nor would {@code isCancelled()} turn true): readiness is polled, and cancellation is observed through
 * the call's {@link Context}, which gRPC cancels from another executor. A context closed with a cause is a
 * cancellation; one closed without is a call that completed.
 */
final class OutboundFlow<T> {
    private static final long MAX_PAUSE_NANOS = 5_000_000;

    private final ServerCallStreamObserver<T> observer;
    private final String operation;
    private final Context context = Context.current();

    OutboundFlow(ServerCallStreamObserver<T> observer, String operation) {
        this.observer = observer;
        this.operation = operation;
    }

    /** Runs {@code onCancel} (on another thread) when the caller goes away; use it to unblock the producer. */
    void onCancel(Runnable onCancel) {
        context.addListener(
                closed -> {
                    if (closed.cancellationCause() != null) {
                        onCancel.run();
                    }
                },
                Thread::startVirtualThread);
    }

    boolean cancelled() {
        return context.isCancelled() && context.cancellationCause() != null;
    }

    /** Sends once the transport can take it, so a slow caller slows the producer instead of filling memory. */
    void send(T message) {
        long pause = 50_000;
        while (!observer.isReady()) {
            if (cancelled()) {
                throw new HostAgentException(ErrorCode.UNAVAILABLE, operation + ": the caller cancelled");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
        observer.onNext(message);
    }

    void complete() {
        observer.onCompleted();
    }

    /** Reports the failure unless the caller is gone already (then nobody listens). */
    void fail(RuntimeException error) {
        if (!cancelled()) {
            observer.onError(GrpcErrors.toStatus(error));
        }
    }
}
