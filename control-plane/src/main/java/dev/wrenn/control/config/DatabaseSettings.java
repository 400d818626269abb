package dev.wrenn.control.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Which database the control plane keeps its state in: a SQLite file (the default) or PostgreSQL. */
public sealed interface DatabaseSettings {

    /** A SQLite database in one file; fine for one control plane replica. */
    record Sqlite(Path file) implements DatabaseSettings {}

    /** PostgreSQL, for several replicas. {@code user} and {@code password} may be null when the URL carries them. */
    record Postgres(String jdbcUrl, String user, String password) implements DatabaseSettings {
        @Override
        public String toString() {
            return "Postgres[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "-" : "***")
                    + "]";
        }
    }

    /**
     * Reads {@code postgres://user:pass@host:port/db?params}, {@code postgresql://...} or a JDBC URL
     * ({@code jdbc:postgresql://...}), the forms operators copy from other tools.
     */
    static Postgres postgresFromUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return JdbcCredentials.split(url);
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException(
                    "WRENN_DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql:// (got a URL"
                            + " starting with '" + url.substring(0, Math.min(url.indexOf(':') + 1, 16)) + "')");
        }
        URI uri = parse(url);
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbcUrl = "jdbc:postgresql://" + host + uri.getRawPath() + query;
        return userInfo(jdbcUrl, uri.getRawUserInfo());
    }

    private static Postgres userInfo(String jdbcUrl, String rawUserInfo) {
        if (rawUserInfo == null) {
            return new Postgres(jdbcUrl, null, null);
        }
        int colon = rawUserInfo.indexOf(':');
        if (colon < 0) {
            return new Postgres(jdbcUrl, decode(rawUserInfo), null);
        }
        return new Postgres(jdbcUrl, decode(rawUserInfo.substring(0, colon)), decode(rawUserInfo.substring(colon + 1)));
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null
                    || uri.getRawPath() == null
                    || uri.getRawPath().length() < 2) {
                throw new IllegalArgumentException("WRENN_DATABASE_URL needs a host and a database name,"
                        + " as in postgres://user:password@host:5432/wrenn");
            }
            return uri;
        } catch (URISyntaxException e) {
            // The message would echo the URL, password included: say where it broke instead.
            throw new IllegalArgumentException(
                    "WRENN_DATABASE_URL is not a valid URL (at character " + e.getIndex() + ": " + e.getReason() + ")");
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
