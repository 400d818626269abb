package dev.wrenn.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.ConsoleServer;
import dev.wrenn.control.testing.FakeHostAgent;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults an attacker on the network would use: a control plane on every interface, a console that can be framed. */
@Tag("security")
class WeakDefaultsSecurityTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void aControlPlaneStartedWithoutABindAddressListensOnLoopbackOnly(@TempDir Path dir) {
        Config config = ConfigLoader.load(Map.of("WRENN_DATA_DIR", dir.toString(), "WRENN_JWT_SECRET", SECRET));

        assertThat(config.listenHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void theConsoleCannotBeFramedNorRunInjectedInlineScripts(@TempDir Path dir) throws Exception {
        try (Database database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")));
                ConsoleServer server = ConsoleServer.start(database, new FakeHostAgent());
                HttpClient http = HttpClient.newHttpClient()) {
            for (String path : new String[] {"/", "/src/main.js", "/vendor/xterm/xterm.mjs"}) {
                HttpResponse<String> reply = http.send(
                        HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
                HttpHeaders headers = reply.headers();

                assertThat(reply.statusCode()).isEqualTo(200);
                assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
                assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
                String csp = headers.firstValue("Content-Security-Policy").orElse("");
                assertThat(csp).contains("frame-ancestors 'none'", "object-src 'none'", "default-src 'self'");
                assertThat(csp).containsPattern("script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}';");
                assertThat(csp).doesNotContain("'unsafe-eval'").doesNotContainPattern("script-src[^;]*unsafe-inline");
            }
        }
    }
}
