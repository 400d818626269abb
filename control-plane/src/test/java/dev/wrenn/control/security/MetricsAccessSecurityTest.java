package dev.wrenn.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import org.junit.jupiter.api.Tag;

/** /metrics names routes and load: an attacker without an administrator's token reads nothing. */
@Tag("security")
class MetricsAccessSecurityTest {

    @OnBothDatabases
    void metricsWithoutAnAdministratorsTokenAreRefused(TestServer server) {
        String admin = TestServer.bearer(server.signup("root@example.com", "correct horse"));
        var user = server.signup("mallory@example.com", "battery staple");
        String key = server.post("/v1/api-keys", TestServer.json("name", "k"), "Authorization", TestServer.bearer(user))
                .json()
                .get("key")
                .asText();

        Reply anonymous = server.get("/metrics");
        Reply nonAdmin = server.get("/metrics", "Authorization", TestServer.bearer(user));
        Reply apiKey = server.get("/metrics", "X-API-Key", key);
        Reply forged = server.get("/metrics", "Authorization", "Bearer not-a-token");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("jvm_");
        assertThat(nonAdmin.status()).isEqualTo(403);
        assertThat(nonAdmin.errorCode()).isEqualTo("forbidden");
        assertThat(apiKey.status()).isEqualTo(401);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(server.get("/metrics", "Authorization", admin).body()).contains("jvm_memory_used_bytes");
    }
}
