package dev.wrenn.host.api;

import dev.wrenn.host.error.HostAgentException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The one place where the agent's errors become gRPC statuses. */
final class GrpcErrors {
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
        return status.withDescription(agent.getMessage()).withCause(agent).asRuntimeException();
    }
}
