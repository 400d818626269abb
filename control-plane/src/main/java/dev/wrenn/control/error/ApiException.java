package dev.wrenn.control.error;

/**
 * The control plane's one unchecked exception family: whatever layer throws it, the API answers with its code's HTTP
 * status and {@code {"error":{"code","message"}}}. Messages name the operation and the object, because they reach
 * the user verbatim.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ApiException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message);
    }

    public static ApiException internal(String message, Throwable cause) {
        return new ApiException(ErrorCode.INTERNAL_ERROR, message, cause);
    }
}
