package dev.wrenn.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The guest agent started by hand ({@code ./wrenn guest-agent}) on a developer's machine: it runs commands as root,
 * so it must not listen on every interface, and a token given at start must be required at once.
 */
@Tag("security")
class GuestAgentByHandSecurityTest {
    private static final String TOKEN = "by-hand-token-4f1c";

    @Test
    void startedWithoutOptionsItListensOnLoopbackOnly() throws Exception {
        GuestAgentOptions options = GuestAgentOptions.parse(new String[0]);
        RunningAgent agent =
                RunningAgent.start(new InetSocketAddress(options.bindAddress(), 0), "root", options.accessToken());
        try {
            assertThat(options.bindAddress()).isEqualTo("127.0.0.1");
            assertThat(agent.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(agent.address().getAddress().isAnyLocalAddress()).isFalse();
        } finally {
            agent.stop();
        }
    }

    @Test
    void withAnAccessTokenRequestsWithoutItAreRefused() throws Exception {
        GuestAgentOptions options = GuestAgentOptions.parse(new String[] {"--access-token", TOKEN});
        RunningAgent agent =
                RunningAgent.start(new InetSocketAddress(options.bindAddress(), 0), "root", options.accessToken());
        try (HttpClient http = HttpClient.newHttpClient()) {
            URI envs = URI.create("http://127.0.0.1:" + agent.address().getPort() + "/envs");

            assertThat(status(http, HttpRequest.newBuilder(envs))).isEqualTo(401);
            assertThat(status(http, HttpRequest.newBuilder(envs).header("X-Access-Token", "wrong")))
                    .isEqualTo(401);
            assertThat(status(http, HttpRequest.newBuilder(envs).header("X-Access-Token", TOKEN)))
                    .isEqualTo(200);
        } finally {
            agent.stop();
        }
    }

    /** The token guards what matters (running commands as root, replacing the token), not only the plain routes. */
    @Test
    void withAnAccessTokenCommandsAndInitNeedItTooButHealthStaysPublic() throws Exception {
        GuestAgentOptions options = GuestAgentOptions.parse(new String[] {"--access-token", TOKEN});
        RunningAgent agent =
                RunningAgent.start(new InetSocketAddress(options.bindAddress(), 0), "root", options.accessToken());
        try (HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + agent.address().getPort();
            HttpRequest.Builder listProcesses = HttpRequest.newBuilder(URI.create(base + "/process.Process/List"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
            HttpRequest.Builder replaceToken = HttpRequest.newBuilder(URI.create(base + "/init"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"accessToken\":\"attacker\"}"));

            assertThat(status(http, listProcesses)).isEqualTo(401);
            assertThat(status(http, replaceToken)).isEqualTo(401);
            assertThat(status(http, HttpRequest.newBuilder(URI.create(base + "/health"))))
                    .isEqualTo(204);
            assertThat(status(http, listProcesses.header("X-Access-Token", TOKEN)))
                    .isEqualTo(200);
        } finally {
            agent.stop();
        }
    }

    @Test
    void anEmptyAccessTokenIsRefusedRatherThanMeaningNone() {
        assertThatThrownBy(() -> GuestAgentOptions.parse(new String[] {"--access-token", ""}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--access-token");
        assertThat(GuestAgentOptions.parse(new String[] {"--access-token", TOKEN})
                        .toString())
                .doesNotContain(TOKEN);
    }

    private static int status(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
