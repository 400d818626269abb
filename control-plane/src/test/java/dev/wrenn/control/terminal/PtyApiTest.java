package dev.wrenn.control.terminal;

import static dev.wrenn.control.testing.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.testing.ConsoleHostAgent;
import dev.wrenn.control.testing.ConsoleServer;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;

class PtyApiTest {
    private static final String SANDBOX = "sb-0000pty1";
    private static final String START = "{\"type\":\"start\",\"cols\":100,\"rows\":30}";

    @OnBothDatabases
    void aTokenInTheFirstFrameStartsALoginShellThatEchoesInput(Database database) throws Exception {
        ConsoleHostAgent agent = new ConsoleHostAgent();
        try (ConsoleServer server = ConsoleServer.start(database, agent)) {
            JsonNode ada = server.signup("ada@example.com");
            server.sandbox(ada.get("team_id").asText(), SANDBOX, SandboxStatus.RUNNING);
            try (PtyClient pty = PtyClient.open(server.http(), ptyUri(server, SANDBOX))) {
                pty.send(auth(ada.get("token").asText())).send(START);

                assertThat(pty.next().toString()).isEqualTo("{\"type\":\"started\",\"pid\":4242}");
                pty.type("echo hi\r");
                JsonNode output = pty.next();
                assertThat(output.get("type").asText()).isEqualTo("output");
                assertThat(PtyClient.text(output)).isEqualTo("echo hi\r");

                agent.exit(3);
                assertThat(pty.next().toString()).isEqualTo("{\"type\":\"exit\",\"exit_code\":3}");
                assertThat(pty.closeCode()).isEqualTo(1000);
            }
            PtyStartRequest started = agent.ptyStarts.getFirst();
            assertThat(started.getSandboxId()).isEqualTo(SANDBOX);
            assertThat(started.getCmd()).isEqualTo("/bin/bash");
            assertThat(started.getArgsList()).containsExactly("-l");
            assertThat(started.getEnvsMap()).isEqualTo(Map.of("TERM", "xterm-256color"));
            assertThat(started.getUser()).isEmpty();
            assertThat(List.of(started.getCols(), started.getRows())).containsExactly(100, 30);
        }
    }

    @OnBothDatabases
    void inputAndResizesReachTheTerminalInTheOrderSent(Database database) throws Exception {
        ConsoleHostAgent agent = new ConsoleHostAgent();
        try (ConsoleServer server = ConsoleServer.start(database, agent)) {
            JsonNode ada = server.signup("ada@example.com");
            server.sandbox(ada.get("team_id").asText(), SANDBOX, SandboxStatus.RUNNING);
            try (PtyClient pty = PtyClient.open(server.http(), ptyUri(server, SANDBOX))) {
                // Sent back to back, before the server has answered anything.
                pty.send(auth(ada.get("token").asText()))
                        .send(START)
                        .type("a")
                        .send("{\"type\":\"resize\",\"cols\":120,\"rows\":40}")
                        .type("b")
                        .send("{\"type\":\"resize\",\"cols\":80,\"rows\":24}")
                        .type("c");

                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.ptyCalls.size() >= 5);
                assertThat(agent.ptyCalls)
                        .containsExactly("input:a", "resize:120x40", "input:b", "resize:80x24", "input:c");
            }
        }
    }

    @OnBothDatabases
    void closingTheSocketKillsTheShell(Database database) throws Exception {
        ConsoleHostAgent agent = new ConsoleHostAgent();
        try (ConsoleServer server = ConsoleServer.start(database, agent)) {
            JsonNode ada = server.signup("ada@example.com");
            server.sandbox(ada.get("team_id").asText(), SANDBOX, SandboxStatus.RUNNING);
            PtyClient pty = PtyClient.open(server.http(), ptyUri(server, SANDBOX));
            pty.send(auth(ada.get("token").asText())).send(START);
            assertThat(pty.next().get("type").asText()).isEqualTo("started");

            pty.close();

            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(agent.ptyCalls).containsExactly("kill", "closed"));
        }
    }

    @OnBothDatabases
    void anApiKeyInTheUpgradeHeadersNeedsNoAuthFrame(Database database) throws Exception {
        ConsoleHostAgent agent = new ConsoleHostAgent();
        try (ConsoleServer server = ConsoleServer.start(database, agent)) {
            JsonNode ada = server.signup("ada@example.com");
            server.sandbox(ada.get("team_id").asText(), SANDBOX, SandboxStatus.RUNNING);
            String key = server.send("POST", "/v1/api-keys", "{}", "Authorization", bearer(ada))
                    .json()
                    .get("key")
                    .asText();
            try (PtyClient pty = PtyClient.open(server.http(), ptyUri(server, SANDBOX), "X-API-Key", key)) {
                pty.send(START);

                assertThat(pty.next().get("type").asText()).isEqualTo("started");
            }
        }
    }

    @OnBothDatabases
    void aBadTokenAnotherTeamsSandboxOrAMissingStartGetAnErrorFrameAndAClose(Database database) throws Exception {
        try (ConsoleServer server = ConsoleServer.start(database, new ConsoleHostAgent())) {
            JsonNode ada = server.signup("ada@example.com");
            JsonNode bob = server.signup("bob@example.com");
            server.sandbox(bob.get("team_id").asText(), SANDBOX, SandboxStatus.RUNNING);

            assertRefused(server, auth("wrn_00000000000000000000000000000000"), "invalid API key");
            assertRefused(server, auth(ada.get("token").asText()), "sandbox " + SANDBOX + " not found");
            assertRefused(server, START, "authenticate first");
        }
    }

    @OnBothDatabases
    void badHeadersOnTheUpgradeAreRefusedBeforeTheUpgrade(Database database) {
        try (ConsoleServer server = ConsoleServer.start(database, new ConsoleHostAgent())) {
            assertThatThrownBy(() -> PtyClient.open(
                            server.http(),
                            ptyUri(server, SANDBOX),
                            "X-API-Key",
                            "wrn_00000000000000000000000000000000"))
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        }
    }

    private static void assertRefused(ConsoleServer server, String firstFrame, String message) throws Exception {
        try (PtyClient pty = PtyClient.open(server.http(), ptyUri(server, SANDBOX))) {
            pty.send(firstFrame);

            JsonNode error = pty.next();
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("data").asText()).contains(message);
            assertThat(pty.closeCode()).isEqualTo(1008);
        }
    }

    private static String auth(String token) {
        return TestServer.json("type", "auth", "token", token);
    }

    private static URI ptyUri(ConsoleServer server, String sandboxId) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/v1/sandboxes/" + sandboxId + "/pty");
    }
}
