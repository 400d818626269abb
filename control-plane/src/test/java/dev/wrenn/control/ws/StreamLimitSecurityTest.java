package dev.wrenn.control.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.control.api.StreamLimits;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;

/**
 * Issue 12 item 8: one API key cannot hold WebSockets open without bound. Past the per-key limit an upgrade with
 * the key is answered 429, a connection authenticating by first frame gets an error frame and close 1008; closing
 * a connection gives its place back.
 */
@Tag("security")
class StreamLimitSecurityTest {

    @OnBothDatabases
    void aKeyPastItsStreamLimitIsRefusedUntilOneCloses(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            List<WsClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < StreamLimits.DEFAULT_PER_CREDENTIAL; i++) {
                    open.add(WsClient.connect(streamUri(api, id), api.adaByKey()));
                }

                assertThatThrownBy(() -> WsClient.connect(streamUri(api, id), api.adaByKey())
                                .close())
                        .isInstanceOf(WsClient.UpgradeRefused.class)
                        .hasMessageContaining("HTTP 429");
                try (WsClient byFrame = WsClient.connect(streamUri(api, id))) {
                    byFrame.send("{\"type\":\"auth\",\"token\":\"" + api.adaKey + "\"}");
                    assertThat(byFrame.next().get("data").asText()).contains("too many open streams");
                    assertThat(byFrame.awaitClose()).isEqualTo(1008);
                }
                // The limit is the key's: the same team's user token still connects.
                WsClient.connect(streamUri(api, id), api.adaByToken()).close();

                open.removeFirst().close();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(() -> {
                            open.add(WsClient.connect(streamUri(api, id), api.adaByKey()));
                            return true;
                        });
                assertThat(open).hasSize(StreamLimits.DEFAULT_PER_CREDENTIAL);
            } finally {
                open.forEach(WsClient::close);
            }
        }
    }

    private static URI streamUri(SandboxFixture api, String id) {
        return URI.create(api.server
                .uri("/v1/sandboxes/" + id + "/exec/stream")
                .toString()
                .replace("http:", "ws:"));
    }
}
