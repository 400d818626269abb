package dev.wrenn.host.api;

import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.error.RetryLaterException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The one place where the agent's errors become gRPC statuses. */
final class GrpcErrors {
    /**
     * Trailer of a retryable refusal (bounded work full): the seconds the caller should wait before sending it again.
     * The control plane answers such a refusal 429 (RESOURCE_EXHAUSTED) or 503 (UNAVAILABLE) with {@code Retry-After}.
     */
    static final Metadata.Key<String> RETRY_AFTER =
            Metadata.Key.of("wrenn-retry-after-seconds", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {}

    static StatusRuntimeException toStatus(RuntimeException error) {
        if (error instanceof StatusRuntimeException status) {
            return status;
        }
        if (!(error instanceof HostAgentException agent)) {
            return Status.INTERNAL
                    .withDescription(String.valueOf(error.getMessage()))
                    .withCause(error)
                    .asRuntimeException();
        }
        Status status = switch (agent.code()) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case UNIMPLEMENTED -> Status.UNIMPLEMENTED;
            case INTERNAL -> Status.INTERNAL;
        };
        Metadata trailers = new Metadata();
        if (agent instanceof RetryLaterException later) {
            trailers.put(RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
        }
        return status.withDescription(agent.getMessage()).withCause(agent).asRuntimeException(trailers);
    }
}
