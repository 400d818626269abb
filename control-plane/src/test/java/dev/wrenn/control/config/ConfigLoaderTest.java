package dev.wrenn.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void defaultsAreSqliteInTheDataDirPort8080AndTheLocalHostAgent(@TempDir Path dir) {
        Config config = ConfigLoader.load(Map.of("WRENN_DATA_DIR", dir.toString(), "WRENN_JWT_SECRET", SECRET));

        assertThat(config.dataDir()).isEqualTo(dir);
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.listenHost()).isEqualTo("127.0.0.1");
        assertThat(config.database()).isEqualTo(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")));
        assertThat(config.hostAgentAddress()).isEqualTo("127.0.0.1:50051");
        assertThat(config.maxUploadBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(config.bcryptCost()).isEqualTo(12);
    }

    @Test
    void theEnvironmentAndOptionsOverrideTheDefaultsAndOptionsWin(@TempDir Path dir) {
        Config config = ConfigLoader.load(
                Map.of(
                        "WRENN_DATA_DIR",
                        "/nonexistent-never-used",
                        "WRENN_JWT_SECRET",
                        SECRET,
                        "WRENN_PORT",
                        "9000",
                        "WRENN_HOST_AGENT_ADDR",
                        "10.0.0.5:6000",
                        "WRENN_MAX_UPLOAD_BYTES",
                        "1024",
                        "WRENN_DATABASE_URL",
                        "postgres://wrenn:s%40cret@db.internal:5433/wrenn?sslmode=disable"),
                "--port",
                "9100",
                "--data-dir=" + dir,
                "--host",
                "0.0.0.0");

        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.dataDir()).isEqualTo(dir);
        assertThat(config.listenHost()).isEqualTo("0.0.0.0");
        assertThat(config.hostAgentAddress()).isEqualTo("10.0.0.5:6000");
        assertThat(config.maxUploadBytes()).isEqualTo(1024);
        assertThat(config.database())
                .isEqualTo(new DatabaseSettings.Postgres(
                        "jdbc:postgresql://db.internal:5433/wrenn?sslmode=disable", "wrenn", "s@cret"));
        assertThat(config.toString()).doesNotContain("s@cret").doesNotContain(SECRET);
    }

    @Test
    void aJwtSecretIsGeneratedOnceKeptPrivateAndReused(@TempDir Path dir) throws IOException {
        Config first = ConfigLoader.load(Map.of("WRENN_DATA_DIR", dir.toString()));
        Config second = ConfigLoader.load(Map.of("WRENN_DATA_DIR", dir.toString()));

        Path file = dir.resolve("jwt-secret");
        assertThat(first.jwtSecret()).hasSizeGreaterThanOrEqualTo(32).isEqualTo(second.jwtSecret());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("jwt-secret");
        }
    }

    @Test
    void theDataDirIsCreatedForTheOwnerOnly(@TempDir Path dir) throws IOException {
        Path nested = dir.resolve("a/b");
        ConfigLoader.load(Map.of("WRENN_DATA_DIR", nested.toString(), "WRENN_JWT_SECRET", SECRET));
        assertThat(nested).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)))
                .isEqualTo("rwx------");
    }

    @Test
    void badValuesAreRefusedWithTheirName(@TempDir Path dir) {
        Map<String, String> base = Map.of("WRENN_DATA_DIR", dir.toString(), "WRENN_JWT_SECRET", SECRET);
        assertThatThrownBy(
                        () -> ConfigLoader.load(Map.of("WRENN_DATA_DIR", dir.toString(), "WRENN_JWT_SECRET", "short")))
                .hasMessageContaining("WRENN_JWT_SECRET")
                .hasMessageContaining("32");
        assertThatThrownBy(() -> ConfigLoader.load(base, "--port", "eighty")).hasMessageContaining("port");
        assertThatThrownBy(() -> ConfigLoader.load(base, "--port", "70000")).hasMessageContaining("65535");
        assertThatThrownBy(() -> ConfigLoader.load(base, "--verbose"))
                .hasMessageContaining("unknown option '--verbose'");
        assertThatThrownBy(() -> ConfigLoader.load(base, "--port")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> ConfigLoader.load(with(base, "WRENN_MAX_UPLOAD_BYTES", "-1")))
                .hasMessageContaining("upload size limit must be positive");
    }

    @Test
    void aShortSecretFileIsRefusedWithAFix(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("jwt-secret"), "too short\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("WRENN_DATA_DIR", dir.toString())))
                .hasMessageContaining("delete the file");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var map = new java.util.HashMap<>(base);
        map.put(key, value);
        return map;
    }
}
