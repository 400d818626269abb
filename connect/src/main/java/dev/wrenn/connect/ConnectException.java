package dev.wrenn.connect;

import java.util.List;
import java.util.Map;

/**
 * A Connect error: a code, a message naming the operation and the object, and optional metadata. Handlers throw it;
 * the server turns it into the error body (unary) or the end-stream message (streams); the client throws it back.
 */
public final class ConnectException extends RuntimeException {
    /**
     * A server's message when a call's deadline ({@code Connect-Timeout-Ms}) passes: envd's, which is Go's
     * {@code context.DeadlineExceeded} text, so E2B's SDKs show the same {@code TimeoutError} text as against E2B.
     */
    public static final String DEADLINE_MESSAGE = "context deadline exceeded";

    private final Code code;
    private final Map<String, List<String>> metadata;

    public ConnectException(Code code, String message) {
        this(code, message, Map.of(), null);
    }

    public ConnectException(Code code, String message, Throwable cause) {
        this(code, message, Map.of(), cause);
    }

    public ConnectException(Code code, String message, Map<String, List<String>> metadata, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.metadata = Map.copyOf(metadata);
    }

    public Code code() {
        return code;
    }

    public Map<String, List<String>> metadata() {
        return metadata;
    }

    public static ConnectException notFound(String message) {
        return new ConnectException(Code.NOT_FOUND, message);
    }

    public static ConnectException invalidArgument(String message) {
        return new ConnectException(Code.INVALID_ARGUMENT, message);
    }

    public static ConnectException internal(String message, Throwable cause) {
        return new ConnectException(Code.INTERNAL, message, cause);
    }
}
