package dev.wrenn.control.hosts;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import io.grpc.Status;

/** The one place where the host agent's gRPC statuses become API errors. */
final class AgentErrors {
    private AgentErrors() {}

    /**
     * @param operation the RPC, e.g. {@code CreateSandbox}
     * @param object what it was about, e.g. {@code sandbox sb-1a2b3c4d}
     */
    static ApiException toApi(String operation, String object, Status status, Throwable cause) {
        String detail = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return new ApiException(
                code(status.getCode()), operation + " " + object + ": " + detail(status, detail), cause);
    }

    static ApiException interrupted(String operation, String object, InterruptedException cause) {
        Thread.currentThread().interrupt();
        return new ApiException(ErrorCode.INTERNAL_ERROR, operation + " " + object + ": interrupted", cause);
    }

    private static ErrorCode code(Status.Code code) {
        return switch (code) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_REQUEST;
            case FAILED_PRECONDITION -> ErrorCode.CONFLICT;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            default -> ErrorCode.AGENT_ERROR;
        };
    }

    private static String detail(Status status, String description) {
        return switch (status.getCode()) {
            case UNAVAILABLE -> "host agent unreachable (" + description + ")";
            case DEADLINE_EXCEEDED -> "host agent did not answer in time (" + description + ")";
            default -> description;
        };
    }
}
