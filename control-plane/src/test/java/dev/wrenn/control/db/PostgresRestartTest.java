package dev.wrenn.control.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.control.testing.PostgresCluster;
import dev.wrenn.control.testing.SandboxFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real PostgreSQL stopped under a burst of requests and started again, the control plane left running: every
 * request during the outage gets a 503 that says the database is unavailable and when to retry (never a 500, never
 * a hang, none left unanswered), on /v1 and on the E2B routes; once PostgreSQL is back the same process serves
 * reads and writes again and nothing written before is lost.
 */
class PostgresRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS_DURING_OUTAGE = 48;

    @Test
    void requestsDuringAnOutageAre503AndTheSameProcessServesAgainAfterTheRestart() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start();
                Database database = Database.open(cluster.newDatabase());
                SandboxFixture api = SandboxFixture.start(database)) {
            String before = api.createRunningForAda();

            cluster.stopServer();
            List<HttpResponse<String>> during =
                    SandboxFixture.inParallel(REQUESTS_DURING_OUTAGE, i -> duringOutage(api, before, i));

            for (HttpResponse<String> reply : during) {
                String what =
                        reply.request().method() + " " + reply.request().uri().getPath();
                assertThat(reply.statusCode()).as(what + ": " + reply.body()).isEqualTo(503);
                assertThat(reply.headers().firstValue("Retry-After")).as(what).isPresent();
                assertThat(message(reply)).as(what).isEqualTo("the database is unavailable; retry shortly");
            }

            cluster.restart();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> api.server
                                    .get("/v1/sandboxes/" + before, api.adaByKey())
                                    .status()
                            == 200);
            assertThat(api.get(before).get("status").asText()).isEqualTo("running");
            String after = api.createRunningForAda();
            assertThat(api.server.get("/v1/sandboxes", api.adaByKey()).json())
                    .extracting(s -> s.get("id").asText())
                    .contains(before, after);
        }
    }

    /** A read and a write on /v1 and a read on the E2B routes, all authenticated (which reads the database). */
    private static HttpResponse<String> duringOutage(SandboxFixture api, String id, int i) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(60));
        request = switch (i % 3) {
            case 0 -> request.uri(api.server.uri("/v1/sandboxes")).GET();
            case 1 ->
                request.uri(api.server.uri("/v1/sandboxes"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"));
            default -> request.uri(api.server.uri("/sandboxes/" + id)).GET();
        };
        request.header("X-API-Key", api.adaKey);
        return api.server.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** /v1 answers {@code {"error":{"message"}}}, the E2B routes {@code {"message"}}. */
    private static String message(HttpResponse<String> reply) throws Exception {
        JsonNode body = JSON.readTree(reply.body());
        return body.has("error")
                ? body.get("error").get("message").asText()
                : body.get("message").asText();
    }
}
