package dev.wrenn.control.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes {@code user} and {@code password} out of a JDBC URL's query and into the settings' own fields. The URL is
 * shown by whatever reports the connection (Flyway logs it at start, Hikari on errors); the password must not be in
 * it.
 */
final class JdbcCredentials {
    private JdbcCredentials() {}

    static DatabaseSettings.Postgres split(String jdbcUrl) {
        int question = jdbcUrl.indexOf('?');
        if (question < 0) {
            return new DatabaseSettings.Postgres(jdbcUrl, null, null);
        }
        String user = null;
        String password = null;
        List<String> kept = new ArrayList<>();
        for (String param : jdbcUrl.substring(question + 1).split("&")) {
            String name = param.contains("=") ? param.substring(0, param.indexOf('=')) : param;
            String value = param.contains("=") ? decode(param.substring(param.indexOf('=') + 1)) : "";
            switch (name) {
                case "user" -> user = value;
                case "password" -> password = value;
                default -> {
                    if (!param.isEmpty()) {
                        kept.add(param);
                    }
                }
            }
        }
        String base = jdbcUrl.substring(0, question);
        return new DatabaseSettings.Postgres(
                kept.isEmpty() ? base : base + "?" + String.join("&", kept), user, password);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
