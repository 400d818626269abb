package dev.wrenn.connect.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.wrenn.connect.server.ConnectHttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A JDK HTTP server on 127.0.0.1, a random port and virtual threads, as the guest agent runs it. */
public final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback HTTP server", e);
        }
        server.setExecutor(executor);
    }

    /** Serves {@code handler} on each of its context paths. */
    public static LoopbackServer serving(ConnectHttpHandler handler) {
        LoopbackServer loopback = new LoopbackServer();
        handler.contextPaths().forEach(path -> loopback.server.createContext(path, handler));
        loopback.server.start();
        return loopback;
    }

    /** Serves a hand-written handler on {@code path}, to play a misbehaving peer. */
    public static LoopbackServer raw(String path, HttpHandler handler) {
        LoopbackServer loopback = new LoopbackServer();
        loopback.server.createContext(path, handler);
        loopback.server.start();
        return loopback;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow(); // handlers still blocked on purpose must not outlive the test
    }
}
