package dev.wrenn.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import dev.wrenn.control.config.DatabaseSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An operator configures PostgreSQL with a password in WRENN_DATABASE_URL. The control plane logs its config at start
 * and Flyway logs the JDBC URL it connects to: neither may carry the password (nor the JWT secret).
 */
@Tag("security")
class SecretLoggingSecurityTest {
    private static final String JWT_SECRET = "jwt-secret-0123456789abcdef-0123456789";
    private static final String PASSWORD = "Pg-Pass-7731";

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
