package dev.wrenn.sdk;

/** A deadline passed: the call's own timeout, a stream's {@code Connect-Timeout-Ms}, or the sandbox reached its end of life while a call was open. */
public class TimeoutException extends SandboxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the server's message
     * @param status the HTTP status, or 0
     * @param cause the underlying failure, or null
     */
    public TimeoutException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
