package dev.wrenn.guest.http.transport;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the JSON and empty responses of the envd HTTP API. */
public final class Replies {
    private Replies() {}

    public static void json(HttpExchange exchange, int status, Object body) throws IOException {
        jsonText(exchange, status, JsonText.write(body));
    }

    public static void jsonText(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static void error(HttpExchange exchange, int status, String message) throws IOException {
        // Field order matters: clients compare some error bodies verbatim.
        json(exchange, status, JsonText.object("code", status, "message", message));
    }

    public static void empty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
