package dev.wrenn.sdk;

/**
 * The one exception family of the SDK: every failure of a call is a {@code SandboxException} or one of its
 * subclasses, unchecked, carrying the server's own message. Catch the subclass that you can act on
 * ({@link NotFoundException}, {@link TimeoutException}, {@link AuthenticationException}, {@link QuotaException},
 * {@link InvalidArgumentException}, {@link dev.wrenn.sdk.commands.CommandExitException}) and this class for the rest.
 */
public class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param message what went wrong, as the server said it when it said it
     * @param status the HTTP status of the answer, or 0 when the failure happened before or without one
     * @param cause the underlying failure, or null
     */
    public SandboxException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @param message what went wrong */
    public SandboxException(String message) {
        this(message, 0, null);
    }

    /** The HTTP status of the server's answer, or 0 when there was none (a connection failure, a local deadline). */
    public int status() {
        return status;
    }
}
