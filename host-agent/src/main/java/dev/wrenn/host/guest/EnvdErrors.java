package dev.wrenn.host.guest;

import dev.wrenn.connect.ConnectException;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;

/**
 * The one place where the guest agent's answers become the host agent's errors. Messages read
 * "{@code <operation>} in sandbox {@code <id>}: {@code <what the guest said>}".
 */
final class EnvdErrors {
    private EnvdErrors() {}

    static HostAgentException fromConnect(String sandboxId, String operation, ConnectException e) {
        ErrorCode code = switch (e.code()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorCode.INVALID_ARGUMENT;
            // The guest says "unauthenticated" for a user it does not know: the caller named it.
            case UNAUTHENTICATED -> ErrorCode.INVALID_ARGUMENT;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case PERMISSION_DENIED -> ErrorCode.PERMISSION_DENIED;
            case FAILED_PRECONDITION, ABORTED -> ErrorCode.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
            case DEADLINE_EXCEEDED -> ErrorCode.DEADLINE_EXCEEDED;
            case UNAVAILABLE, CANCELED -> ErrorCode.UNAVAILABLE;
            case UNIMPLEMENTED -> ErrorCode.UNIMPLEMENTED;
            case UNKNOWN, INTERNAL, DATA_LOSS -> ErrorCode.INTERNAL;
        };
        return new HostAgentException(code, describe(sandboxId, operation, e.getMessage()), e);
    }

    /** Statuses of the plain HTTP routes (/init, /files), whose bodies are {@code {"code":N,"message":"..."}}. */
    static HostAgentException fromHttp(String sandboxId, String operation, int status, String guestMessage) {
        ErrorCode code = switch (status) {
            case 400, 416 -> ErrorCode.INVALID_ARGUMENT;
            case 401, 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 507 -> ErrorCode.RESOURCE_EXHAUSTED;
            case 502, 503, 504 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
        return new HostAgentException(
                code, describe(sandboxId, operation, "guest agent answered " + status + ": " + guestMessage));
    }

    static HostAgentException unreachable(String sandboxId, String operation, Exception e) {
        return new HostAgentException(
                ErrorCode.UNAVAILABLE, describe(sandboxId, operation, "guest agent unreachable: " + e), e);
    }

    static HostAgentException interrupted(String sandboxId, String operation, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new HostAgentException(ErrorCode.UNAVAILABLE, describe(sandboxId, operation, "interrupted"), e);
    }

    static String describe(String sandboxId, String operation, String detail) {
        return operation + " in sandbox " + sandboxId + ": " + detail;
    }
}
