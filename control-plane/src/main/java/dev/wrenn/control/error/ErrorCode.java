package dev.wrenn.control.error;

/**
 * Every error the REST API can answer with. Each code has exactly one HTTP status, so the mapping from failures to
 * responses lives here and nowhere else. The wire names are the original system's snake_case codes.
 */
public enum ErrorCode {
    INVALID_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    /** Signup refused by the installation's signup mode (closed, or first-user without an invitation). */
    SIGNUP_CLOSED(403),
    /** An invitation that is unknown, expired, revoked or already used (one answer for all four). */
    INVALID_INVITE(403),
    NOT_FOUND(404),
    CONFLICT(409),
    INVALID_STATE(409),
    ALREADY_EXISTS(409),
    EMAIL_TAKEN(409),
    TOO_LARGE(413),
    /** A team limit an administrator set (or the default); E2B answers 429 for its concurrent-sandbox limit. */
    QUOTA_EXCEEDED(429),
    RATE_LIMITED(429),
    INTERNAL_ERROR(500),
    AGENT_ERROR(502),
    BUSY(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The code as it appears in {@code {"error":{"code":...}}}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
