package dev.wrenn.host.error;

/** The host agent's one unchecked exception family. Messages name the operation and the object. */
public class HostAgentException extends RuntimeException {
    private final ErrorCode code;

    public HostAgentException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public HostAgentException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
