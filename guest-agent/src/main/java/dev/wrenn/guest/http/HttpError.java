package dev.wrenn.guest.http;

/** A failure a route reports to the client as {@code {"code":status,"message":...}}. */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String message) {
        super(message);
        this.status = status;
    }

    HttpError(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    int status() {
        return status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    static HttpError unauthorized(String message) {
        return new HttpError(401, message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }
}
