package dev.wrenn.control.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the control plane is started with. Built from the environment and the command line by
 * {@link ConfigLoader}; tests build it directly.
 *
 * @param dataDir where the SQLite file and the generated JWT secret live
 * @param listenHost the address the HTTP server binds to
 * @param port the HTTP port; 0 picks a free one
 * @param database SQLite by default, PostgreSQL when {@code WRENN_DATABASE_URL} is set
 * @param jwtSecret the HS256 key for user tokens, at least 32 characters
 * @param hostAgentAddress {@code host:port} of the host agent's gRPC server
 * @param maxUploadBytes the largest file a client may upload into a sandbox
 * @param bcryptCost the bcrypt work factor for passwords (12 in production; tests lower it)
 * @param proxyPort the port of the E2B-compatible sandbox traffic proxy; 0 picks a free one
 * @param signupMode who may sign up ({@link SignupMode#FIRST_USER} unless the operator says otherwise)
 */
public record Config(
        Path dataDir,
        String listenHost,
        int port,
        DatabaseSettings database,
        String jwtSecret,
        String hostAgentAddress,
        long maxUploadBytes,
        int bcryptCost,
        int proxyPort,
        SignupMode signupMode) {

    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_BCRYPT_COST = 12;
    public static final int MIN_JWT_SECRET_LENGTH = 32;

    /** With the default signup mode ({@link SignupMode#FIRST_USER}). */
    public Config(
            Path dataDir,
            String listenHost,
            int port,
            DatabaseSettings database,
            String jwtSecret,
            String hostAgentAddress,
            long maxUploadBytes,
            int bcryptCost,
            int proxyPort) {
        this(
                dataDir,
                listenHost,
                port,
                database,
                jwtSecret,
                hostAgentAddress,
                maxUploadBytes,
                bcryptCost,
                proxyPort,
                SignupMode.DEFAULT);
    }

    /** With the proxy on the port after the API's (or a free one when the API's is picked freely). */
    public Config(
            Path dataDir,
            String listenHost,
            int port,
            DatabaseSettings database,
            String jwtSecret,
            String hostAgentAddress,
            long maxUploadBytes,
            int bcryptCost) {
        this(
                dataDir,
                listenHost,
                port,
                database,
                jwtSecret,
                hostAgentAddress,
                maxUploadBytes,
                bcryptCost,
                defaultProxyPort(port));
    }

    public static int defaultProxyPort(int apiPort) {
        return apiPort == 0 ? 0 : apiPort + 1;
    }

    public Config {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(hostAgentAddress, "hostAgentAddress");
        Objects.requireNonNull(signupMode, "signupMode");
        if (proxyPort < 0 || proxyPort > 65535) {
            throw new IllegalArgumentException("the proxy port must be between 0 and 65535 (got " + proxyPort + ")");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535 (got " + port + ")");
        }
        if (jwtSecret == null || jwtSecret.length() < MIN_JWT_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "the JWT secret must be at least " + MIN_JWT_SECRET_LENGTH + " characters long");
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("the upload size limit must be positive (got " + maxUploadBytes + ")");
        }
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("the bcrypt cost must be between 4 and 31 (got " + bcryptCost + ")");
        }
    }

    @Override
    public String toString() {
        return "Config[dataDir=" + dataDir + ", listen=" + listenHost + ":" + port + ", database=" + database
                + ", hostAgent=" + hostAgentAddress + ", maxUploadBytes=" + maxUploadBytes + ", bcryptCost="
                + bcryptCost + ", proxyPort=" + proxyPort + ", signup=" + signupMode.flagValue() + "]";
    }
}
