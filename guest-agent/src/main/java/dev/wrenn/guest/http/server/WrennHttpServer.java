package dev.wrenn.guest.http.server;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest agent's HTTP/1.1 server, behind the JDK's {@code com.sun.net.httpserver} API so that handlers and filters
 * are written as for the JDK's own server. It exists for throughput: the JDK server reads request bodies 8 KiB per
 * call through two copies and cannot send a file by sendfile, which held /files uploads under half the speed of a
 * local copy. One thread (virtual, from the executor) per connection runs its requests in turn; TCP_NODELAY is on, so
 * a streamed message leaves when it is flushed.
 */
public final class WrennHttpServer extends HttpServer {
    private static final Logger log = LoggerFactory.getLogger(WrennHttpServer.class);

    private final List<Context> contexts = new CopyOnWriteArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel listener;
    private volatile Executor executor;
    private Thread acceptor;
    private volatile boolean stopping;

    /** A server bound to {@code address} (port 0: any free port), not yet started. */
    public static WrennHttpServer create(InetSocketAddress address, int backlog) throws IOException {
        WrennHttpServer server = new WrennHttpServer();
        server.bind(address, backlog);
        return server;
    }

    @Override
    public synchronized void bind(InetSocketAddress address, int backlog) throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already bound to " + getAddress());
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        ReceiveBuffer.size().ifPresent(bytes -> setReceiveBuffer(channel, bytes));
        listener = channel.bind(address, backlog);
    }

    /** Before bind, so that accepted connections inherit it and the window scale is negotiated for it. */
    private static void setReceiveBuffer(ServerSocketChannel channel, int bytes) {
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
        } catch (IOException e) {
            log.debug("keeping the kernel's receive buffer autotuning: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        if (listener == null || acceptor != null) {
            throw new IllegalStateException(listener == null ? "not bound" : "already started");
        }
        acceptor = Thread.ofPlatform().name("http-accept").daemon().start(this::acceptAll);
    }

    private void acceptAll() {
        while (!stopping) {
            try {
                SocketChannel channel = listener.accept();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection connection = new Connection(this, channel);
                connections.add(connection);
                run(connection);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!stopping) {
                    log.warn("accepting a connection failed: {}", e.toString());
                }
            }
        }
    }

    private void run(Connection connection) {
        Executor current = executor;
        if (current == null) {
            Thread.ofVirtual().name("http-connection").start(connection);
        } else {
            current.execute(connection);
        }
    }

    void ended(Connection connection) {
        connections.remove(connection);
    }

    /** The context whose path is the longest prefix of {@code path}, or null. */
    Context contextFor(String path) {
        String target = path == null ? "/" : path;
        return contexts.stream()
                .filter(context -> target.startsWith(context.getPath()))
                .max(Comparator.comparingInt(context -> context.getPath().length()))
                .orElse(null);
    }

    @Override
    public void setExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public Executor getExecutor() {
        return executor;
    }

    /** Stops accepting and closes every connection at once (open exchanges fail); {@code delay} is not waited for. */
    @Override
    public void stop(int delay) {
        stopping = true;
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("closing the listening socket: {}", e.getMessage());
        }
        connections.forEach(Connection::close);
        Thread accepting = acceptor;
        if (accepting != null) {
            try {
                accepting.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a context path starts with '/': " + path);
        }
        synchronized (contexts) {
            if (contexts.stream().anyMatch(context -> context.getPath().equals(path))) {
                throw new IllegalArgumentException("a context already exists for " + path);
            }
            Context context = new Context(path, this, handler);
            contexts.add(context);
            return context;
        }
    }

    @Override
    public HttpContext createContext(String path) {
        return createContext(path, null);
    }

    @Override
    public void removeContext(String path) {
        if (!contexts.removeIf(context -> context.getPath().equals(path))) {
            throw new IllegalArgumentException("no context for " + path);
        }
    }

    @Override
    public void removeContext(HttpContext context) {
        if (!contexts.remove(context)) {
            throw new IllegalArgumentException("not a context of this server: " + context.getPath());
        }
    }

    @Override
    public InetSocketAddress getAddress() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server's address: " + e.getMessage(), e);
        }
    }
}
