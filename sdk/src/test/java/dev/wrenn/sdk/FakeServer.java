package dev.wrenn.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/** A JDK HttpServer standing in for the control plane and the sandbox proxy (one port serves both here). */
final class FakeServer implements AutoCloseable {
    interface Route {
        void handle(HttpExchange exchange) throws IOException;
    }

    final HttpServer server;

    FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    FakeServer route(String path, Route route) {
        server.createContext(path, exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                route.handle(exchange);
            } catch (IOException e) {
                // A client that hung up (a timeout test) is expected.
            }
        });
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A config whose API and sandbox traffic both go to this server. */
    ConnectionConfig config(Duration requestTimeout) {
        return ConnectionConfig.wrenn(url(), "wrn_test")
                .sandboxUrl(url())
                .requestTimeout(requestTimeout)
                .build();
    }

    static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static final String CREATED =
            "{\"sandboxID\":\"sb-fake\",\"templateID\":\"base\",\"envdVersion\":\"0.6.13\",\"envdAccessToken\":\"tok\"}";

    @Override
    public void close() {
        server.stop(0);
    }
}
