package dev.wrenn.sdk;

/** A limit was reached: the team's quota or a rate limit (HTTP 429, Connect {@code resource_exhausted}); try again later or free resources. */
public class QuotaException extends SandboxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the server's message
     * @param status the HTTP status, or 0
     * @param cause the underlying failure, or null
     */
    public QuotaException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
