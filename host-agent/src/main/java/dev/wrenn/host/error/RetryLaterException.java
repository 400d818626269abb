package dev.wrenn.host.error;

/**
 * A refusal because bounded work is full, not because the request is wrong: the caller may send it again after
 * {@link #retryAfterSeconds()}. RESOURCE_EXHAUSTED when the caller's own sandbox is saturated, UNAVAILABLE when the
 * host is; the control plane answers 429 or 503 with {@code Retry-After}.
 */
public final class RetryLaterException extends HostAgentException {
    private final long retryAfterSeconds;

    public RetryLaterException(ErrorCode code, String message, long retryAfterSeconds) {
        super(code, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
