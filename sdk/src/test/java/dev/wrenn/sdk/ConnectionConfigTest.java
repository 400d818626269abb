package dev.wrenn.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which endpoints the environment variables select, for Wrenn and for E2B-compatible endpoints. */
class ConnectionConfigTest {
    @Test
    void wrennUrlAndKeyWithTheProxyOnTheNextPort() {
        ConnectionConfig c = ConnectionConfig.fromEnvironment(
                Map.of("WRENN_URL", "http://127.0.0.1:8080/", "WRENN_API_KEY", "wrn_k", "E2B_API_KEY", "e2b_other"));
        assertThat(c.isWrenn()).isTrue();
        assertThat(c.apiUrl()).hasToString("http://127.0.0.1:8080");
        assertThat(c.apiKey()).isEqualTo("wrn_k");
        assertThat(c.sandboxUrl("sb-1", null)).hasToString("http://127.0.0.1:8081");
        assertThat(c.toString()).doesNotContain("wrn_k");
    }

    @Test
    void wrennSandboxUrlOverridesTheProxy() {
        ConnectionConfig c = ConnectionConfig.fromEnvironment(Map.of(
                "WRENN_URL",
                "https://wrenn.example.org",
                "WRENN_API_KEY",
                "k",
                "WRENN_SANDBOX_URL",
                "https://p.example.org"));
        assertThat(c.sandboxUrl("sb-1", null)).hasToString("https://p.example.org");
    }

    @Test
    void e2bVariables() {
        ConnectionConfig c = ConnectionConfig.fromEnvironment(Map.of(
                "E2B_API_KEY",
                "e2b_1",
                "E2B_API_URL",
                "http://127.0.0.1:3000",
                "E2B_SANDBOX_URL",
                "http://127.0.0.1:3002"));
        assertThat(c.isWrenn()).isFalse();
        assertThat(c.apiUrl()).hasToString("http://127.0.0.1:3000");
        assertThat(c.sandboxUrl("x", "ignored")).hasToString("http://127.0.0.1:3002");
    }

    @Test
    void e2bDomainDerivesBothUrls() {
        ConnectionConfig c =
                ConnectionConfig.fromEnvironment(Map.of("E2B_API_KEY", "e2b_1", "E2B_DOMAIN", "example.dev"));
        assertThat(c.apiUrl()).hasToString("https://api.example.dev");
        assertThat(c.sandboxUrl("abc", null)).hasToString("https://49983-abc.example.dev");
        assertThat(c.sandboxUrl("abc", "other.dev")).hasToString("https://49983-abc.other.dev");
    }
}
