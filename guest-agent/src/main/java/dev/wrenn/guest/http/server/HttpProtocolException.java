package dev.wrenn.guest.http.server;

import java.io.IOException;

/** A request this server cannot parse: answered with {@link #status()} and the message, then the connection closes. */
final class HttpProtocolException extends IOException {
    private final int status;

    HttpProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
