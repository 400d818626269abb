package dev.wrenn.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * An operator configures PostgreSQL with a password in WRENN_DATABASE_URL. The control plane logs its config at start
 * and Flyway logs the JDBC URL it connects to: neither may carry the password (nor the JWT secret). And nothing the
 * control plane logs while serving accounts, keys and sandboxes (at DEBUG) holds a password, a user token, an API
 * key or an Authorization header.
 */
@Tag("security")
class SecretLoggingSecurityTest {
    private static final String JWT_SECRET = "jwt-secret-0123456789abcdef-0123456789";
    private static final String PASSWORD = "Pg-Pass-7731";

    @OnBothDatabases
    void servingAccountsKeysAndSandboxesLogsNoCredential(Database database) {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger wrenn = (Logger) LoggerFactory.getLogger("dev.wrenn");
        Level before = wrenn.getLevel();
        logged.start();
        root.addAppender(logged);
        wrenn.setLevel(Level.DEBUG);
        List<String> secrets = new ArrayList<>();
        try (SandboxFixture api = SandboxFixture.start(database)) {
            secrets.addAll(List.of("correct horse", "battery staple", api.adaKey, token(api.ada), token(api.bob)));
            api.server.post("/v1/auth/login", TestServer.json("email", "ada@example.com", "password", "wrong horse"));
            secrets.add("wrong horse");
            api.server.get("/v1/sandboxes", "X-API-Key", "wrn_" + "0".repeat(32));
            api.server.get("/v1/sandboxes", "Authorization", "Bearer not.a.token-Secret-77");
            secrets.add("not.a.token-Secret-77");
            String id = api.createRunningForAda();
            api.server.post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"true\"}", api.adaByToken());
            api.server.get("/v1/sandboxes/nope-" + "x".repeat(8), api.adaByKey());
            Reply changed = api.server.post(
                    "/v1/auth/password",
                    TestServer.json("current_password", "correct horse", "new_password", "Fresh-Horse-991"),
                    api.adaByToken());
            secrets.add("Fresh-Horse-991");
            secrets.add(changed.json().path("token").asText("unused-token-placeholder"));
            api.server.post("/v1/auth/logout", "", "Authorization", TestServer.bearer(changed.json()));
            api.server.delete("/v1/sandboxes/" + id, api.adaByKey());
        } finally {
            root.detachAppender(logged);
            wrenn.setLevel(before);
        }

        assertThat(logged.list).isNotEmpty();
        for (ILoggingEvent event : logged.list) {
            String text = event.getFormattedMessage() + throwableText(event.getThrowableProxy());
            for (String secret : secrets) {
                assertThat(text).as("log line of %s", event.getLoggerName()).doesNotContain(secret);
            }
            assertThat(text).doesNotContain("Bearer ");
        }
    }

    private static String token(JsonNode auth) {
        return auth.get("token").asText();
    }

    private static String throwableText(IThrowableProxy proxy) {
        StringBuilder text = new StringBuilder();
        for (IThrowableProxy p = proxy; p != null; p = p.getCause()) {
            text.append(' ').append(p.getMessage());
        }
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "postgres://wrenn:" + PASSWORD + "@db.internal:5432/wrenn",
                "jdbc:postgresql://db.internal:5432/wrenn?user=wrenn&password=" + PASSWORD + "&sslmode=disable",
                "jdbc:postgresql://db.internal:5432/wrenn?password=" + PASSWORD
            })
    void theLoggedConfigAndTheJdbcUrlCarryNoPassword(String url, @TempDir Path dir) {
        Config config = ConfigLoader.load(
                Map.of("WRENN_DATA_DIR", dir.toString(), "WRENN_JWT_SECRET", JWT_SECRET, "WRENN_DATABASE_URL", url));
        DatabaseSettings.Postgres postgres = (DatabaseSettings.Postgres) config.database();

        assertThat(config.toString()).doesNotContain(PASSWORD).doesNotContain(JWT_SECRET);
        assertThat(postgres.jdbcUrl()).doesNotContain(PASSWORD);
        assertThat(postgres.password()).isEqualTo(PASSWORD);
    }
}
