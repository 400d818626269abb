package dev.wrenn.control.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Builds the {@link Config} from environment variables and command-line options (options win). Creates the data
 * directory, and the JWT secret file in it when {@code WRENN_JWT_SECRET} is not set.
 *
 * <pre>
 *   --port N          WRENN_PORT             HTTP port (8080)
 *   --proxy-port M    WRENN_PROXY_PORT       E2B sandbox traffic proxy port (the HTTP port + 1)
 *   --host ADDR       WRENN_LISTEN_HOST      bind address (127.0.0.1)
 *   --data-dir DIR    WRENN_DATA_DIR         data directory (/var/lib/wrenn)
 *                     WRENN_DATABASE_URL     PostgreSQL URL; SQLite file DIR/wrenn.db when unset
 *                     WRENN_JWT_SECRET       at least 32 characters; else DIR/jwt-secret, generated once
 *                     WRENN_HOST_AGENT_ADDR  host agent gRPC address (127.0.0.1:50051)
 *                     WRENN_MAX_UPLOAD_BYTES largest file upload (100 MiB)
 *   --signup MODE     WRENN_SIGNUP           open | closed | first-user (first-user)
 * </pre>
 */
public final class ConfigLoader {
    public static final String USAGE = """
            usage: wrenn control-plane [--port N] [--proxy-port M] [--host ADDR] [--data-dir DIR]
                                       [--signup open|closed|first-user]
            environment: WRENN_DATA_DIR, WRENN_PORT, WRENN_PROXY_PORT, WRENN_LISTEN_HOST, WRENN_DATABASE_URL, WRENN_JWT_SECRET,
                         WRENN_HOST_AGENT_ADDR, WRENN_MAX_UPLOAD_BYTES, WRENN_SIGNUP
            signup: first-user (default) lets the first account sign up and makes it the administrator; later accounts
                    need an invitation (POST /v1/teams/{team_id}/invites). open lets anyone sign up; closed nobody.""";

    /** Loopback unless the operator says otherwise: the API is plain HTTP and a fresh install has no accounts. */
    public static final String DEFAULT_LISTEN_HOST = "127.0.0.1";

    private ConfigLoader() {}

    public static Config load(Map<String, String> env, String... args) {
        Map<String, String> options = CommandLine.parse(args);
        Path dataDir = Path.of(pick(options.get("--data-dir"), env.get("WRENN_DATA_DIR"), "/var/lib/wrenn"))
                .toAbsolutePath();
        createDataDir(dataDir);
        int port = parseInt("port", pick(options.get("--port"), env.get("WRENN_PORT"), "" + Config.DEFAULT_PORT));
        int proxyPort = parseInt(
                "proxy port",
                pick(options.get("--proxy-port"), env.get("WRENN_PROXY_PORT"), "" + Config.defaultProxyPort(port)));
        return new Config(
                dataDir,
                pick(options.get("--host"), env.get("WRENN_LISTEN_HOST"), DEFAULT_LISTEN_HOST),
                port,
                database(env.get("WRENN_DATABASE_URL"), dataDir),
                jwtSecret(env.get("WRENN_JWT_SECRET"), dataDir),
                pick(null, env.get("WRENN_HOST_AGENT_ADDR"), "127.0.0.1:50051"),
                parseLong(
                        "WRENN_MAX_UPLOAD_BYTES",
                        pick(null, env.get("WRENN_MAX_UPLOAD_BYTES"), "" + Config.DEFAULT_MAX_UPLOAD_BYTES)),
                Config.DEFAULT_BCRYPT_COST,
                proxyPort,
                SignupMode.parse(
                        pick(options.get("--signup"), env.get("WRENN_SIGNUP"), SignupMode.DEFAULT.flagValue())));
    }

    private static DatabaseSettings database(String url, Path dataDir) {
        if (url == null || url.isBlank()) {
            return new DatabaseSettings.Sqlite(dataDir.resolve("wrenn.db"));
        }
        return DatabaseSettings.postgresFromUrl(url.strip());
    }

    private static String jwtSecret(String fromEnv, Path dataDir) {
        if (fromEnv == null || fromEnv.isEmpty()) {
            return JwtSecretFile.loadOrCreate(dataDir);
        }
        if (fromEnv.length() < Config.MIN_JWT_SECRET_LENGTH) {
            throw new IllegalArgumentException("WRENN_JWT_SECRET must be at least " + Config.MIN_JWT_SECRET_LENGTH
                    + " characters long (got " + fromEnv.length() + ")");
        }
        return fromEnv;
    }

    private static void createDataDir(Path dataDir) {
        try {
            if (!Files.isDirectory(dataDir)) {
                // The database holds password and key hashes: only the control plane's user may read it.
                Files.createDirectories(
                        dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("creating the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static String pick(String option, String env, String fallback) {
        if (option != null) {
            return option;
        }
        return env == null || env.isBlank() ? fallback : env.strip();
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number (got '" + value + "')");
        }
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of bytes (got '" + value + "')");
        }
    }
}
