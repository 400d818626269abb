package dev.wrenn.guest.http.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** Lets a download handler hand a file range to the connection, which sends it by sendfile(2) when it can. */
public final class FileResponses {
    private FileResponses() {}

    /**
     * Writes {@code count} bytes of {@code file} from {@code position} as (part of) the response body, after
     * {@code sendResponseHeaders}; false, having written nothing, when the exchange is not this server's or its
     * response stream was replaced, and the caller must copy through {@code getResponseBody()} itself.
     */
    public static boolean send(HttpExchange exchange, FileChannel file, long position, long count) throws IOException {
        if (!(exchange instanceof Exchange ours)) {
            return false;
        }
        ResponseBody body = ours.unwrappedResponseBody();
        if (body == null) {
            return false;
        }
        body.transferFrom(file, position, count);
        return true;
    }
}
