package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The proxy in front of a fake guest agent on a loopback address of its own (127.x.y.z, port 49983), so the test
 * never meets a real guest agent on 127.0.0.1.
 */
class SandboxProxyTest {
    private final String guestIp = "127." + ThreadLocalRandom.current().nextInt(1, 250) + "."
            + ThreadLocalRandom.current().nextInt(1, 250) + "."
            + ThreadLocalRandom.current().nextInt(2, 250);
    private final List<String> reached = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @OnBothDatabases
    void forwardsWithTheTokenAndStreamsAChunkedBodyBothWays(Database database) throws Exception {
        try (Setup s = new Setup(database)) {
            String id = s.create();
            byte[] big = IntStream.range(0, 300_000)
                    .mapToObj(i -> "" + (i % 10))
                    .reduce("", String::concat)
                    .getBytes(StandardCharsets.UTF_8);

            HttpResponse<String> echoed = http.send(
                    request(s, id, "/echo")
                            .header(SandboxProxy.ACCESS_TOKEN_HEADER, InMemoryHostAgent.accessToken(id))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(echoed.statusCode()).isEqualTo(200);
            assertThat(echoed.body()).hasSize(big.length).isEqualTo(new String(big, StandardCharsets.UTF_8));
            assertThat(echoed.headers().firstValue("X-Guest").orElse("")).isEqualTo("fake");
        }
    }

    /** The SDK tells a killed sandbox from a finished stream only by the connection breaking off (issue 17). */
    @OnBothDatabases
    void aStreamTheSandboxBreaksOffIsCutForTheClientWithoutALastChunk(Database database) throws Exception {
        try (Setup s = new Setup(database)) {
            String id = s.create();
            try (Socket socket = new Socket("127.0.0.1", s.proxy.port())) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream()
                        .write(("GET /cut HTTP/1.1\r\nHost: 127.0.0.1\r\nE2b-Sandbox-Id: " + id + "\r\n"
                                        + SandboxProxy.ACCESS_TOKEN_HEADER + ": " + InMemoryHostAgent.accessToken(id)
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(answer).startsWith("HTTP/1.1 200").contains("first part");
                assertThat(answer).doesNotEndWith("0\r\n\r\n");
            }
        }
    }

    @OnBothDatabases
    void aMissingOrWrongTokenIsRefusedButHealthIsOpen(Database database) throws Exception {
        try (Setup s = new Setup(database)) {
            String id = s.create();

            HttpResponse<String> noToken = send(request(s, id, "/echo").POST(HttpRequest.BodyPublishers.ofString("x")));
            HttpResponse<String> wrong = send(request(s, id, "/echo")
                    .header(SandboxProxy.ACCESS_TOKEN_HEADER, "guess")
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            HttpResponse<String> health = send(request(s, id, "/health").GET());

            assertThat(noToken.statusCode()).isEqualTo(401);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(health.statusCode()).isEqualTo(204);
            assertThat(reached).containsExactly("GET /health");
        }
    }

    @OnBothDatabases
    void theGuestAgentsInitIsNeverReachable(Database database) throws Exception {
        try (Setup s = new Setup(database)) {
            String id = s.create();

            HttpResponse<String> init = send(request(s, id, "/init")
                    .header(SandboxProxy.ACCESS_TOKEN_HEADER, InMemoryHostAgent.accessToken(id))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));

            assertThat(init.statusCode()).isEqualTo(403);
            assertThat(reached).isEmpty();
        }
    }

    @OnBothDatabases
    void aKilledOrExpiredSandboxAnswers502LikeE2bsProxy(Database database) throws Exception {
        try (Setup s = new Setup(database)) {
            String killed = s.create();
            String expired = s.create();
            s.f.server.delete("/sandboxes/" + killed, s.f.adaByKey());
            s.f.server.post("/sandboxes/" + expired + "/timeout", "{\"timeout\":0}", s.f.adaByKey());

            for (String id : List.of(killed, expired, "sb-00000000")) {
                HttpResponse<String> health = send(request(s, id, "/health").GET());
                assertThat(health.statusCode()).isEqualTo(502);
                assertThat(health.body())
                        .isEqualTo("{\"sandboxId\":\"" + id
                                + "\",\"message\":\"The sandbox was not found\",\"code\":502}");
            }
            assertThat(reached).isEmpty();
        }
    }

    @OnBothDatabases
    void aHostNameWithPortAndIdReachesThatPortInTheSandbox(Database database) throws Exception {
        try (Setup s = new Setup(database)) {
            String id = s.create();

            String answer = rawGet(s.proxy.port(), "8000-" + id + ".sandbox.example", "/app");

            assertThat(answer).startsWith("HTTP/1.1 200").contains("port 8000: GET /app");
        }
    }

    private HttpRequest.Builder request(Setup s, String id, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.proxy.port() + path))
                .header("E2b-Sandbox-Id", id)
                .header("E2b-Sandbox-Port", "49983");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String rawGet(int port, String host, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The API, the proxy, and fake servers on the guest's address: the guest agent (49983) and an app (8000). */
    private final class Setup implements AutoCloseable {
        final SandboxFixture f;
        final SandboxProxy proxy;
        final HttpServer guest;
        final HttpServer app;

        Setup(Database database) throws IOException {
            InMemoryHostAgent agent = new InMemoryHostAgent();
            agent.hostIpForNewVms = guestIp;
            f = SandboxFixture.start(database, agent, dev.wrenn.control.config.Config.DEFAULT_MAX_UPLOAD_BYTES);
            guest = HttpServer.create(new InetSocketAddress(guestIp, ProxyRoute.ENVD_PORT), 16);
            guest.createContext("/", SandboxProxyTest.this::fakeGuestAgent);
            guest.start();
            app = HttpServer.create(new InetSocketAddress(guestIp, 8000), 16);
            app.createContext("/", exchange -> reply(exchange, 200, "port 8000: GET " + exchange.getRequestURI()));
            app.start();
            SandboxService core = new SandboxService(
                    new SandboxRepository(database), new TemplateRepository(database), agent, Clock.systemUTC());
            proxy = SandboxProxy.start(
                    "127.0.0.1", 0, E2bCompat.wire(database, core, agent, Clock.systemUTC()), "sandbox.example");
        }

        String create() {
            return f.server
                    .post("/v2/sandboxes", "{}", f.adaByKey())
                    .json()
                    .get("sandboxID")
                    .asText();
        }

        @Override
        public void close() {
            Stream.<Runnable>of(proxy::close, () -> guest.stop(0), () -> app.stop(0), f::close)
                    .forEach(Runnable::run);
        }
    }

    /** /health answers 204; /echo streams the body back in chunks; every request is recorded. */
    private void fakeGuestAgent(HttpExchange exchange) throws IOException {
        reached.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        if (exchange.getRequestURI().getPath().equals("/cut")) {
            // A guest that dies mid-stream: one chunk, then the connection drops (thrown, never closed cleanly).
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("first part".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            throw new IOException("the guest went away");
        }
        try (exchange) {
            if (exchange.getRequestURI().getPath().equals("/health")) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            exchange.getResponseHeaders().set("X-Guest", "fake");
            exchange.sendResponseHeaders(200, 0);
            try (InputStream in = exchange.getRequestBody();
                    OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
