package dev.wrenn.sdk;

/** The API key is missing, unknown or revoked (HTTP 401, Connect {@code unauthenticated}), or does not allow the call (403). */
public class AuthenticationException extends SandboxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the server's message
     * @param status the HTTP status, or 0
     * @param cause the underlying failure, or null
     */
    public AuthenticationException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
