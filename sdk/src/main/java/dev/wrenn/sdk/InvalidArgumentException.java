package dev.wrenn.sdk;

/** The request was refused as invalid (HTTP 400, Connect {@code invalid_argument}); the message names the field. */
public class InvalidArgumentException extends SandboxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the server's message
     * @param status the HTTP status, or 0
     * @param cause the underlying failure, or null
     */
    public InvalidArgumentException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
