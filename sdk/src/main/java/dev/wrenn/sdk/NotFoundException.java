package dev.wrenn.sdk;

/** The sandbox, file, process, snapshot or template does not exist (HTTP 404, Connect {@code not_found}). */
public class NotFoundException extends SandboxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the server's message
     * @param status the HTTP status, or 0
     * @param cause the underlying failure, or null
     */
    public NotFoundException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
