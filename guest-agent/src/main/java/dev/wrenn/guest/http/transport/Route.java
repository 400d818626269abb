package dev.wrenn.guest.http.transport;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** One endpoint of the envd HTTP API. May throw {@link HttpError} to answer with a JSON error. */
@FunctionalInterface
public interface Route {
    void handle(HttpExchange exchange) throws IOException;
}
