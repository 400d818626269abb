package dev.wrenn.guest.http.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.user.UnknownUserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches the plain HTTP endpoints by exact path and method (the JDK server matches contexts by prefix, which
 * would let "/filesX" reach "/files"), and turns route failures into envd's JSON error bodies.
 */
public final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Map<String, Map<String, Route>> routes = new HashMap<>();

    public Router add(String method, String path, Route route) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, route);
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            dispatch(exchange);
        } catch (RuntimeException | IOException e) {
            answerFailure(exchange, e);
        } finally {
            exchange.close();
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, Route> byMethod = routes.get(path);
        if (byMethod == null) {
            throw HttpError.notFound("no endpoint " + path);
        }
        Route route = byMethod.get(exchange.getRequestMethod());
        if (route == null) {
            exchange.getResponseHeaders().set("Allow", String.join(", ", byMethod.keySet()));
            throw new HttpError(405, "method " + exchange.getRequestMethod() + " is not allowed on " + path);
        }
        route.handle(exchange);
    }

    private static void answerFailure(HttpExchange exchange, Exception failure) throws IOException {
        HttpError error = toHttpError(exchange, failure);
        if (exchange.getResponseCode() != -1) {
            // The status line is already out (a download failed mid-stream); closing truncates the body.
            log.warn(
                    "{} {} failed after the response started",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI(),
                    failure);
            return;
        }
        if (error.status() == 500) {
            log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), failure);
        } else if (error.status() > 500) {
            log.warn("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), error.getMessage());
        }
        Replies.error(exchange, error.status(), error.getMessage());
    }

    private static HttpError toHttpError(HttpExchange exchange, Exception failure) {
        return switch (failure) {
            case HttpError e -> e;
            case UnknownUserException e -> HttpError.unauthorized(e.getMessage());
            case ConnectException e -> new HttpError(e.code().httpStatus(), e.getMessage(), e);
            case InvalidPathException e -> HttpError.badRequest("invalid path: " + e.getMessage());
            case UncheckedIOException e -> StorageErrors.toHttpError("serving " + describe(exchange), e.getCause());
            case IOException e -> StorageErrors.toHttpError("serving " + describe(exchange), e);
            default -> new HttpError(500, "serving " + describe(exchange) + ": " + failure, failure);
        };
    }

    private static String describe(HttpExchange exchange) {
        return exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    }
}
