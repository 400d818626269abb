package dev.wrenn.control.error;

/**
 * A refusal the client may retry after a while: too many attempts (429) or the server's bounded work is full (503).
 * The API sends {@code Retry-After} with the seconds to wait.
 */
public final class RetryLaterException extends ApiException {
    private final long retryAfterSeconds;

    public RetryLaterException(ErrorCode code, String message, long retryAfterSeconds) {
        super(code, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
