package dev.wrenn.guest.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.wrenn.guest.http.auth.AccessTokenFilter;
import dev.wrenn.guest.http.init.EntropySink;
import dev.wrenn.guest.http.init.SystemClock;
import dev.wrenn.guest.http.server.WrennHttpServer;
import dev.wrenn.guest.http.transport.CorsFilter;
import dev.wrenn.guest.http.transport.Router;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.UserDirectory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The guest agent's HTTP server (envd's port 49983): the plain endpoints (/health, /files, /files/compose, /init,
 * /envs, /metrics) plus whatever handlers are mounted, e.g. the Connect services on "/process.Process/" and
 * "/filesystem.Filesystem/". Every context gets CORS and, once /init has set one, the access-token check. Served by
 * {@link WrennHttpServer} (the JDK's HTTP server API, our own implementation), one virtual thread per connection.
 */
public final class GuestHttpServer {
    private final AgentState state;
    private final Router router;
    private final Map<String, HttpHandler> mounts = new LinkedHashMap<>();
    private HttpServer server;
    private ExecutorService executor;

    public GuestHttpServer(AgentState state, UserDirectory users) {
        this(state, users, SystemClock.linux());
    }

    /** @param systemClock sets the wall clock when /init brings a time that differs from it by over a second */
    public GuestHttpServer(AgentState state, UserDirectory users, SystemClock systemClock) {
        this(state, users, systemClock, EntropySink.linux());
    }

    /** @param entropy re-keys the kernel's random generator with the seed /init brings (after a restore) */
    public GuestHttpServer(AgentState state, UserDirectory users, SystemClock systemClock, EntropySink entropy) {
        this.state = state;
        this.router = EnvdRoutes.create(state, users, systemClock, entropy);
    }

    /**
     * Serves {@code handler} under {@code contextPath} (JDK prefix matching), behind CORS and the access token with
     * no exemptions. May be called before or after {@link #start}.
     */
    public synchronized void mount(String contextPath, HttpHandler handler) {
        if (mounts.putIfAbsent(contextPath, handler) != null) {
            throw new IllegalStateException("a handler is already mounted on " + contextPath);
        }
        if (server != null) {
            addContext(contextPath, handler, Set.of());
        }
    }

    public synchronized void start(InetSocketAddress address) throws IOException {
        if (server != null) {
            throw new IllegalStateException("the guest HTTP server is already started on " + address());
        }
        HttpServer created = WrennHttpServer.create(address, 0);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        created.setExecutor(executor);
        server = created;
        addContext("/", router, EnvdRoutes.TOKEN_EXEMPT);
        mounts.forEach((path, handler) -> addContext(path, handler, Set.of()));
        created.start();
    }

    /** The bound address (useful after starting on port 0). */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("the guest HTTP server is not started");
        }
        return server.getAddress();
    }

    /** Stops accepting connections and ends open exchanges at once. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        server = null;
        executor = null;
    }

    private void addContext(String path, HttpHandler handler, Set<String> tokenExempt) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(new CorsFilter());
        context.getFilters().add(new AccessTokenFilter(state, tokenExempt));
    }
}
