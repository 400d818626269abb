package dev.wrenn.control.e2b;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E2B's sandbox traffic proxy on its own port: forwards each request to a running sandbox's guest agent (or another
 * port in it) and streams both bodies through as they come, so Connect streams and large file transfers are never
 * held in memory. A sandbox that is unknown, not running or past its end answers 502 like E2B's proxy; the SDK reads
 * that as "the sandbox is gone".
 */
public final class SandboxProxy implements AutoCloseable {
    public static final String ACCESS_TOKEN_HEADER = "X-Access-Token";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxProxy.class);
    /** How often clients and tokens of sandboxes that stopped, paused or moved are released. */
    static final Duration RELEASE_INTERVAL = Duration.ofSeconds(5);

    private static final int BUFFER = 16 * 1024;
    /**
     * Requests one sandbox may have in flight through the proxy (command streams, file transfers): a burst beyond
     * this is refused with 429 and {@code Retry-After} rather than opening a connection to the guest for each. The
     * guest queues what it is sent (nothing here has a deadline: a command may stream for hours), so this bound is
     * what keeps a tenant's burst from holding unbounded connections and threads.
     */
    static final int MAX_IN_FLIGHT_PER_SANDBOX = 2048;

    private final HttpServer server;
    private final E2bCompat e2b;
    private final String domain;
    private final ScheduledExecutorService releaser;
    /**
     * One client (one connection pool) per sandbox: a killed sandbox's address is soon given to the next one, and a
     * kept-alive connection to the old guest must never carry the new sandbox's traffic.
     */
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    /** Requests in flight per sandbox id. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    private final int maxInFlightPerSandbox;

    private SandboxProxy(HttpServer server, E2bCompat e2b, String domain, int maxInFlightPerSandbox) {
        this.server = server;
        this.e2b = e2b;
        this.domain = domain;
        this.maxInFlightPerSandbox = maxInFlightPerSandbox;
        this.releaser = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("proxy-release").daemon().factory());
    }

    private HttpClient clientFor(Sandbox sandbox) {
        return clients.computeIfAbsent(
                sandbox.id() + "@" + sandbox.hostIp(),
                key -> HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .executor(Executors.newVirtualThreadPerTaskExecutor())
                        .build());
    }

    /**
     * Drops the sandbox's pools and token. Streams still open through them are cut ({@code shutdownNow}): the
     * sandbox they reach has stopped, paused or moved, and {@code close} would wait for streams that never end.
     */
    void release(String sandboxId) {
        e2b.tokens().forget(sandboxId);
        inFlight.remove(sandboxId);
        clients.keySet().removeIf(key -> {
            if (key.startsWith(sandboxId + "@")) {
                HttpClient gone = clients.get(key);
                if (gone != null) {
                    gone.shutdownNow();
                }
                return true;
            }
            return false;
        });
    }

    /** Releases every sandbox whose row no longer says it runs at the address its pool was made for. */
    void releaseStale() {
        for (String key : List.copyOf(clients.keySet())) {
            String id = key.substring(0, key.indexOf('@'));
            String ip = key.substring(key.indexOf('@') + 1);
            boolean current = e2b.rows()
                    .findAnyTeam(id)
                    .filter(s -> SandboxOperation.PROXY.allowedIn(s.status())
                            && s.hostIp().equals(ip))
                    .isPresent();
            if (!current) {
                release(id);
            }
        }
    }

    /** How many sandboxes have a pool; for tests. */
    int pools() {
        return clients.size();
    }

    public static SandboxProxy start(String host, int port, E2bCompat e2b) {
        return start(host, port, e2b, ProxyRoute.DEFAULT_DOMAIN);
    }

    /** @param domain the sandbox domain: {@code <port>-<id>.<domain>} host names route to a sandbox's port */
    public static SandboxProxy start(String host, int port, E2bCompat e2b, String domain) {
        return start(host, port, e2b, domain, MAX_IN_FLIGHT_PER_SANDBOX);
    }

    /** @param maxInFlightPerSandbox requests one sandbox may have in flight; one more answers 429 */
    static SandboxProxy start(String host, int port, E2bCompat e2b, String domain, int maxInFlightPerSandbox) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 1024);
            SandboxProxy proxy = new SandboxProxy(server, e2b, domain, maxInFlightPerSandbox);
            server.createContext("/", proxy::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            proxy.releaser.scheduleWithFixedDelay(
                    proxy::releaseQuietly,
                    RELEASE_INTERVAL.toMillis(),
                    RELEASE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "starting the sandbox proxy on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean cut = false;
        try {
            Optional<ProxyRoute> route = ProxyRoute.of(
                    exchange.getRequestHeaders().getFirst("Host"),
                    exchange.getRequestHeaders().getFirst("E2b-Sandbox-Id"),
                    exchange.getRequestHeaders().getFirst("E2b-Sandbox-Port"),
                    domain);
            if (route.isEmpty()) {
                answer(
                        exchange,
                        400,
                        error(400, "no sandbox named: send E2b-Sandbox-Id or use <port>-<sandboxID>.<domain>"));
                return;
            }
            forwardIfAllowed(exchange, route.get());
        } catch (UpstreamCut e) {
            // Thrown on without closing the exchange: the server then drops the client's connection with no last
            // chunk, so the client sees the stream cut (as E2B's proxy does when a VM goes away), never a clean end.
            cut = true;
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            // The path only: a signed /files URL carries its signature in the query, which is a credential.
            LOG.debug(
                    "proxying {} {} failed: {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    e.getClass().getSimpleName());
        } finally {
            if (!cut) {
                exchange.close();
            }
        }
    }

    private void forwardIfAllowed(HttpExchange exchange, ProxyRoute route) throws IOException {
        Optional<Sandbox> sandbox = e2b.rows()
                .findAnyTeam(route.sandboxId())
                .filter(s -> SandboxOperation.PROXY.allowedIn(s.status())
                        && !s.hostIp().isEmpty())
                .filter(s -> !e2b.sandboxes().isExpired(s.id()));
        if (sandbox.isEmpty()) {
            release(route.sandboxId());
            answer(exchange, 502, notFound(route.sandboxId()));
            return;
        }
        if (route.isGuestAgent()) {
            URI uri = exchange.getRequestURI();
            switch (GuestAccessRule.of(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery())) {
                case FORBIDDEN -> {
                    answer(exchange, 403, error(403, "this path of the guest agent is not reachable from outside"));
                    return;
                }
                case TOKEN -> {
                    String given = exchange.getRequestHeaders().getFirst(ACCESS_TOKEN_HEADER);
                    if (!e2b.tokens().matches(route.sandboxId(), given)) {
                        answer(exchange, 401, error(401, "unauthorized access, please provide a valid access token"));
                        return;
                    }
                }
                case OPEN -> {}
            }
        }
        AtomicInteger count = inFlight.computeIfAbsent(route.sandboxId(), id -> new AtomicInteger());
        if (count.incrementAndGet() > maxInFlightPerSandbox) {
            count.decrementAndGet();
            exchange.getResponseHeaders().set("Retry-After", "1");
            answer(
                    exchange,
                    429,
                    error(
                            429,
                            "sandbox " + route.sandboxId() + " already has " + maxInFlightPerSandbox
                                    + " requests in flight through the proxy; retry after the Retry-After seconds"));
            return;
        }
        try {
            forward(exchange, sandbox.get(), route.port());
        } finally {
            count.decrementAndGet();
        }
    }

    private void forward(HttpExchange exchange, Sandbox sandbox, int port) throws IOException {
        URI target = URI.create("http://" + sandbox.hostIp() + ":" + port
                + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(target).method(exchange.getRequestMethod(), body(exchange));
        exchange.getRequestHeaders()
                .forEach((name, values) -> values.forEach(value ->
                        ProxyHeaders.forwardedRequest(name, value).ifPresent(kept -> request.header(name, kept))));
        HttpResponse<InputStream> response;
        try {
            response = clientFor(sandbox).send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            answer(exchange, 502, error(502, "the sandbox's port " + port + " did not answer: " + e.getMessage()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        relay(exchange, response);
    }

    private static HttpRequest.BodyPublisher body(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        String encoding = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        if (length != null) {
            long bytes = Long.parseLong(length.strip());
            return bytes == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.fromPublisher(stream, bytes);
        }
        return encoding != null ? stream : HttpRequest.BodyPublishers.noBody();
    }

    /** Status, headers, then the body chunk by chunk, flushed as it arrives. */
    private static void relay(HttpExchange exchange, HttpResponse<InputStream> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (ProxyHeaders.forwardsResponse(name)) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        int status = response.statusCode();
        boolean noBody =
                status == 204 || status == 304 || exchange.getRequestMethod().equals("HEAD") || length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : Math.max(length, 0));
        OutputStream out = exchange.getResponseBody();
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[BUFFER];
            for (int n = read(in, buffer); n >= 0; n = read(in, buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        out.close();
    }

    /** A read from the sandbox; its failure (the sandbox died, paused or was released) is an {@link UpstreamCut}. */
    private static int read(InputStream in, byte[] buffer) throws UpstreamCut {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new UpstreamCut(e);
        }
    }

    /** The sandbox's side of a relayed response broke off after its headers were sent on. */
    private static final class UpstreamCut extends IOException {
        UpstreamCut(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static Map<String, Object> notFound(String sandboxId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sandboxId", sandboxId);
        body.put("message", "The sandbox was not found");
        body.put("code", 502);
        return body;
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }

    private static void answer(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = E2bJson.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void releaseQuietly() {
        try {
            releaseStale();
        } catch (RuntimeException e) {
            LOG.warn("releasing the proxy's clients of stopped sandboxes failed: {}", e.getMessage());
        }
    }

    /**
     * Stops at once: open streams are cut rather than waited for (a client may keep a command stream open forever,
     * and shutdown has a deadline). The listener closes first, so no new request starts meanwhile.
     */
    @Override
    public void close() {
        releaser.shutdownNow();
        server.stop(0);
        clients.values().forEach(HttpClient::shutdownNow);
        clients.clear();
    }
}
