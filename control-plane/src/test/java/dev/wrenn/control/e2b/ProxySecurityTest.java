package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/** Attacks on E2B's sandbox traffic proxy; each must be refused. */
@Tag("security")
class ProxySecurityTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @OnBothDatabases
    void wrennsCredentialsNeverReachTheGuestButEnvdsBasicUserDoes(Database database) throws Exception {
        try (GuestStandIn s = new GuestStandIn(database, new InMemoryHostAgent())) {
            String id = s.create();

            int status = send(
                    s,
                    id,
                    "/process",
                    InMemoryHostAgent.accessToken(id),
                    Map.of(
                            "Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.team-jwt",
                            "X-API-Key", "wrn_secret_key",
                            "Cookie", "wrenn_session=abc; app=1"));
            int basic = send(
                    s, id, "/process", InMemoryHostAgent.accessToken(id), Map.of("Authorization", "Basic dXNlcjo="));

            assertThat(status).isEqualTo(204);
            assertThat(basic).isEqualTo(204);
            Map<String, List<String>> first = s.headersSeen.get(0);
            assertThat(header(first, "x-api-key")).isNull();
            assertThat(header(first, "authorization")).isNull();
            assertThat(header(first, "cookie")).containsExactly("app=1");
            assertThat(header(s.headersSeen.get(1), "authorization")).containsExactly("Basic dXNlcjo=");
        }
    }

    @OnBothDatabases
    void anEmptyMissingOrWrongTokenIsRefused(Database database) throws Exception {
        try (GuestStandIn s = new GuestStandIn(database, new InMemoryHostAgent())) {
            String id = s.create();
            String right = InMemoryHostAgent.accessToken(id);
            String sameLength = "x".repeat(right.length());

            assertThat(send(s, id, "/process", "", Map.of())).isEqualTo(401);
            assertThat(send(s, id, "/process", null, Map.of())).isEqualTo(401);
            assertThat(send(s, id, "/process", sameLength, Map.of())).isEqualTo(401);
            assertThat(send(s, id, "/process", right.substring(0, right.length() - 1), Map.of()))
                    .isEqualTo(401);
            assertThat(s.headersSeen).isEmpty();
        }
    }

    @OnBothDatabases
    void aSandboxWithoutATokenIsNotOpenToEveryone(Database database) throws Exception {
        InMemoryHostAgent tokenless = new InMemoryHostAgent() {
            @Override
            public SandboxInfo getSandbox(String sandboxId) {
                return super.getSandbox(sandboxId).toBuilder()
                        .setEnvdAccessToken("")
                        .build();
            }
        };
        try (GuestStandIn s = new GuestStandIn(database, tokenless)) {
            String id = s.create();

            assertThat(send(s, id, "/process", "", Map.of())).isEqualTo(401);
            assertThat(send(s, id, "/process", null, Map.of())).isEqualTo(401);
            assertThat(s.headersSeen).isEmpty();
        }
    }

    @OnBothDatabases
    void onlyHostNamesUnderTheConfiguredDomainRoute(Database database) throws Exception {
        try (GuestStandIn s = new GuestStandIn(database, new InMemoryHostAgent())) {
            String id = s.create();

            String foreign = rawGet(s, "49983-" + id + ".attacker.example", "/health");
            String lookalike = rawGet(s, "49983-" + id + ".sandbox.example.attacker.example", "/health");
            String ours = rawGet(s, "49983-" + id + "." + GuestStandIn.DOMAIN + ":443", "/health");

            assertThat(foreign).startsWith("HTTP/1.1 400");
            assertThat(lookalike).startsWith("HTTP/1.1 400");
            assertThat(ours).startsWith("HTTP/1.1 204");
            assertThat(s.headersSeen).hasSize(1);
        }
    }

    @OnBothDatabases
    void aStoppedOrPausedSandboxKeepsNoClientOrTokenInTheProxy(Database database) throws Exception {
        try (GuestStandIn s = new GuestStandIn(database, new InMemoryHostAgent())) {
            String paused = s.create();
            String killed = s.create();
            for (String id : List.of(paused, killed)) {
                assertThat(send(s, id, "/process", InMemoryHostAgent.accessToken(id), Map.of()))
                        .isEqualTo(204);
            }
            assertThat(s.proxy.pools()).isEqualTo(2);

            s.f.server.post("/sandboxes/" + paused + "/pause", "", s.f.adaByKey());
            s.f.server.delete("/sandboxes/" + killed, s.f.adaByKey());
            s.proxy.releaseStale();

            assertThat(s.proxy.pools()).isZero();
            assertThat(s.compat.tokens().size()).isZero();
        }
    }

    private int send(GuestStandIn s, String id, String path, String token, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.proxy.port() + path))
                .header("E2b-Sandbox-Id", id)
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header(SandboxProxy.ACCESS_TOKEN_HEADER, token);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static List<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static String rawGet(GuestStandIn s, String host, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.proxy.port())) {
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
