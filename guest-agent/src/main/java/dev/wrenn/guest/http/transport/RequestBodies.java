package dev.wrenn.guest.http.transport;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** The request body with its Content-Encoding (gzip or identity) removed. */
public final class RequestBodies {
    private RequestBodies() {}

    public static InputStream decoded(HttpExchange exchange) {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        InputStream body = exchange.getRequestBody();
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!encoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
            throw new HttpError(415, "unsupported Content-Encoding '" + encoding + "'; send gzip or none");
        }
        try {
            return new GZIPInputStream(body, 64 * 1024);
        } catch (IOException e) {
            throw HttpError.badRequest("request body is not valid gzip: " + e.getMessage());
        }
    }
}
