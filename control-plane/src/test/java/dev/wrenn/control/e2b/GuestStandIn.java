package dev.wrenn.control.e2b;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.SandboxFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The API and the proxy (domain {@code sandbox.example}) over an in-memory host agent whose VMs answer on a loopback
 * address of their own, where a stand-in guest agent records every request's headers. {@code /forever} sends one
 * chunk and then never ends, like a command stream an SDK left open.
 */
final class GuestStandIn implements AutoCloseable {
    static final String DOMAIN = "sandbox.example";
    final String guestIp = "127." + ThreadLocalRandom.current().nextInt(1, 250) + "."
            + ThreadLocalRandom.current().nextInt(1, 250) + "."
            + ThreadLocalRandom.current().nextInt(2, 250);
    final List<Map<String, List<String>>> headersSeen = new CopyOnWriteArrayList<>();
    final CountDownLatch foreverReleased = new CountDownLatch(1);
    final SandboxFixture f;
    final E2bCompat compat;
    final SandboxProxy proxy;
    private final HttpServer guest;

    GuestStandIn(Database database, InMemoryHostAgent agent) throws IOException {
        this(database, agent, SandboxProxy.MAX_IN_FLIGHT_PER_SANDBOX);
    }

    GuestStandIn(Database database, InMemoryHostAgent agent, int maxInFlightPerSandbox) throws IOException {
        agent.hostIpForNewVms = guestIp;
        f = SandboxFixture.start(database, agent, dev.wrenn.control.config.Config.DEFAULT_MAX_UPLOAD_BYTES);
        guest = HttpServer.create(new InetSocketAddress(guestIp, ProxyRoute.ENVD_PORT), 16);
        guest.createContext("/", this::answer);
        guest.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        guest.start();
        SandboxService core = new SandboxService(
                new SandboxRepository(database), new TemplateRepository(database), agent, Clock.systemUTC());
        compat = E2bCompat.wire(database, core, agent, Clock.systemUTC());
        proxy = SandboxProxy.start("127.0.0.1", 0, compat, DOMAIN, maxInFlightPerSandbox);
    }

    String create() {
        return f.server
                .post("/v2/sandboxes", "{}", f.adaByKey())
                .json()
                .get("sandboxID")
                .asText();
    }

    private void answer(HttpExchange exchange) throws IOException {
        headersSeen.add(Map.copyOf(exchange.getRequestHeaders()));
        try (exchange) {
            if (exchange.getRequestURI().getPath().equals("/forever")) {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write("started\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    foreverReleased.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        foreverReleased.countDown();
        proxy.close();
        guest.stop(0);
        f.close();
    }
}
