package dev.wrenn.control.hosts;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.error.RetryLaterException;
import io.grpc.Metadata;
import io.grpc.Status;

/** The one place where the host agent's gRPC statuses become API errors. */
final class AgentErrors {
    /**
     * The host agent's trailer on a retryable refusal (its bounded work is full, e.g. a sandbox's queue of commands
     * waiting to start): the seconds to wait. Such a refusal is 429 (RESOURCE_EXHAUSTED: the caller's own sandbox)
     * or 503 (UNAVAILABLE: the host), never 502: the host is working, just full.
     */
    static final Metadata.Key<String> RETRY_AFTER =
            Metadata.Key.of("wrenn-retry-after-seconds", Metadata.ASCII_STRING_MARSHALLER);

    private AgentErrors() {}

    /**
     * @param operation the RPC, e.g. {@code CreateSandbox}
     * @param object what it was about, e.g. {@code sandbox sb-1a2b3c4d}
     */
    static ApiException toApi(String operation, String object, Status status, Throwable cause) {
        String detail = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        Long retryAfter = retryAfterSeconds(cause);
        if (retryAfter != null
                && (status.getCode() == Status.Code.RESOURCE_EXHAUSTED
                        || status.getCode() == Status.Code.UNAVAILABLE)) {
            ErrorCode code =
                    status.getCode() == Status.Code.RESOURCE_EXHAUSTED ? ErrorCode.RATE_LIMITED : ErrorCode.BUSY;
            return new RetryLaterException(code, operation + " " + object + ": " + detail, retryAfter);
        }
        return new ApiException(
                code(status.getCode()), operation + " " + object + ": " + detail(status, detail), cause);
    }

    /** The retry-after trailer of a refusal, or null when the failure is not a retryable refusal. */
    static Long retryAfterSeconds(Throwable cause) {
        Metadata trailers = Status.trailersFromThrowable(cause);
        String value = trailers == null ? null : trailers.get(RETRY_AFTER);
        if (value == null) {
            return null;
        }
        try {
            return Math.clamp(Long.parseLong(value.strip()), 1L, 3600L);
        } catch (NumberFormatException e) {
            return null; // not a refusal we understand: treated as any other failure
        }
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
