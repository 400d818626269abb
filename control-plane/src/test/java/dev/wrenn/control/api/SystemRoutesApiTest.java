package dev.wrenn.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;

class SystemRoutesApiTest {

    @OnBothDatabases
    void healthSaysTheDatabaseAnswers(TestServer server) {
        Reply reply = server.get("/healthz");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("ok");
        assertThat(reply.json().get("database").asText()).isEqualTo("ok");
    }

    @OnBothDatabases
    void metricsCountRequestsByRouteTemplateAndShowThePool(TestServer server) {
        // The first account is the installation's administrator, the one who may read metrics.
        String admin = TestServer.bearer(server.signup("ada@example.com", "correct horse"));
        server.delete("/v1/api-keys/key-12345678");

        String metrics = server.get("/metrics", "Authorization", admin).body();

        assertThat(metrics)
                .contains(
                        "http_server_requests_seconds_count{method=\"POST\",route=\"/v1/auth/signup\",status=\"202\"} 1");
        assertThat(metrics).contains("route=\"/v1/api-keys/{id}\",status=\"401\"");
        assertThat(metrics).doesNotContain("key-12345678");
        assertThat(metrics).containsPattern("wrenn_db_pool_open\\{pool=\"wrenn-(sqlite|postgresql)\"\\} [1-9]");
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @OnBothDatabases
    void theSpecAndItsViewerAreServedFromTheJar(TestServer server) {
        Reply spec = server.get("/openapi.yaml");
        Reply docs = server.get("/docs");

        assertThat(spec.status()).isEqualTo(200);
        assertThat(spec.contentType()).startsWith("application/yaml");
        assertThat(spec.body()).startsWith("openapi: 3.1.0");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.contentType()).startsWith("text/html");
        assertThat(docs.body())
                .contains("url: \"/openapi.yaml\"")
                .doesNotContain("https://")
                .doesNotContain("http://");
        assertThat(server.get("/docs/assets/swagger-ui-bundle.js").status()).isEqualTo(200);
        assertThat(server.get("/docs/assets/swagger-ui.css").body()).contains(".swagger-ui");
    }
}
