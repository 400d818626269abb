package dev.wrenn.control.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.WsClient;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

class ExecStreamApiTest {

    @OnBothDatabases
    void withHeaderCredentialsTheFramesArriveInOrderAndTheServerCloses(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            try (WsClient ws = WsClient.connect(streamUri(api, id), api.adaByKey())) {
                ws.send("{\"type\":\"start\",\"cmd\":\"python3\",\"args\":[\"-c\",\"print(1)\"]}");

                List<JsonNode> frames = ws.framesUntilClosed();

                assertThat(frames)
                        .extracting(f -> f.get("type").asText())
                        .containsExactly("start", "stdout", "stderr", "exit");
                assertThat(frames.get(0).get("pid").asInt()).isEqualTo(7);
                assertThat(frames.get(1).get("data").asText()).isEqualTo("out");
                assertThat(frames.get(2).get("data").asText()).isEqualTo("err");
                assertThat(frames.get(3).get("exit_code").asInt()).isEqualTo(3);
                assertThat(ws.awaitClose()).isEqualTo(1000);
                assertThat(api.agent.streams.getFirst().getArgsList()).containsExactly("-c", "print(1)");
            }
        }
    }

    @OnBothDatabases
    void aBrowserAuthenticatesWithItsFirstFrameByTokenOrKey(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            for (String credential : List.of(api.ada.get("token").asText(), api.adaKey)) {
                try (WsClient ws = WsClient.connect(streamUri(api, id))) {
                    ws.send("{\"type\":\"auth\",\"token\":\"" + credential + "\"}");
                    ws.send("{\"type\":\"start\",\"cmd\":\"ls\"}");

                    assertThat(ws.framesUntilClosed())
                            .extracting(f -> f.get("type").asText())
                            .containsExactly("start", "stdout", "stderr", "exit");
                }
            }
        }
    }

    @OnBothDatabases
    void aStartBeforeAuthenticationOrWithABadTokenIsRefusedWithAnErrorFrame(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            try (WsClient ws = WsClient.connect(streamUri(api, id))) {
                ws.send("{\"type\":\"start\",\"cmd\":\"ls\"}");
                assertThat(ws.next().get("data").asText()).startsWith("authenticate first");
                assertThat(ws.awaitClose()).isEqualTo(1008);
            }
            try (WsClient ws = WsClient.connect(streamUri(api, id))) {
                ws.send("{\"type\":\"auth\",\"token\":\"wrn_00000000000000000000000000000000\"}");
                assertThat(ws.next().get("data").asText()).isEqualTo("invalid API key");
                assertThat(ws.awaitClose()).isEqualTo(1008);
            }
            try (WsClient ws = WsClient.connect(streamUri(api, id))) {
                ws.send("{\"type\":\"auth\",\"token\":\"" + api.bob.get("token").asText() + "\"}");
                assertThat(ws.next().get("data").asText()).isEqualTo("sandbox " + id + " not found");
                assertThat(ws.awaitClose()).isEqualTo(1008);
            }
            assertThat(api.agent.streams).isEmpty();
        }
    }

    @OnBothDatabases
    void headerCredentialsAreCheckedBeforeTheUpgrade(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            String stopped = api.createRunningForAda();
            api.server.delete("/v1/sandboxes/" + stopped, api.adaByKey());

            assertRefused(api, id, "401", "X-API-Key", "wrn_00000000000000000000000000000000");
            assertRefused(api, id, "404", api.bobByToken());
            assertRefused(api, "sb-00000000", "404", api.adaByKey());
            assertRefused(api, stopped, "409", api.adaByKey());
        }
    }

    @OnBothDatabases
    void stopEndsTheCommandAndCancelsTheAgentsStream(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            Instant before = Instant.parse(api.get(id).get("last_active_at").asText());
            try (WsClient ws = WsClient.connect(streamUri(api, id), api.adaByToken())) {
                ws.send("{\"type\":\"start\",\"cmd\":\"sleep\",\"args\":[\"1000\"]}");
                assertThat(ws.next().get("type").asText()).isEqualTo("start");

                ws.send("{\"type\":\"stop\"}");

                assertThat(api.agent.streamCancelled.await(30, TimeUnit.SECONDS))
                        .isTrue();
                assertThat(ws.awaitClose()).isEqualTo(1000);
            }
            assertThat(Instant.parse(api.get(id).get("last_active_at").asText()))
                    .isAfterOrEqualTo(before);
        }
    }

    @OnBothDatabases
    void aClientThatGoesAwayCancelsTheAgentsStream(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            try (WsClient ws = WsClient.connect(streamUri(api, id), api.adaByKey())) {
                ws.send("{\"type\":\"start\",\"cmd\":\"sleep\"}");
                assertThat(ws.next().get("type").asText()).isEqualTo("start");

                ws.closeFromClient();

                assertThat(api.agent.streamCancelled.await(30, TimeUnit.SECONDS))
                        .isTrue();
            }
        }
    }

    @OnBothDatabases
    void aFirstFrameThatIsNotAStartIsAnError(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            try (WsClient ws = WsClient.connect(streamUri(api, id), api.adaByKey())) {
                ws.send("{\"type\":\"start\"}");
                assertThat(ws.next().get("data").asText()).isEqualTo("cmd is required");
                assertThat(ws.awaitClose()).isEqualTo(1008);
            }
            try (WsClient ws = WsClient.connect(streamUri(api, id), api.adaByKey())) {
                ws.send("not json");
                assertThat(ws.next().get("type").asText()).isEqualTo("error");
                assertThat(ws.awaitClose()).isEqualTo(1008);
            }
            assertThat(api.agent.streams).isEmpty();
        }
    }

    private static void assertRefused(SandboxFixture api, String id, String status, String... headers) {
        assertThatThrownBy(() -> WsClient.connect(streamUri(api, id), headers).close())
                .isInstanceOf(WsClient.UpgradeRefused.class)
                .hasMessageContaining(status);
    }

    static URI streamUri(SandboxFixture api, String id) {
        return URI.create(api.server
                .uri("/v1/sandboxes/" + id + "/exec/stream")
                .toString()
                .replace("http:", "ws:"));
    }
}
