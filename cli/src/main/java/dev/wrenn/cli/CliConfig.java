package dev.wrenn.cli;

import dev.wrenn.sdk.ConnectionConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * Where the CLI connects: {@code WRENN_URL}, {@code WRENN_API_KEY} (and {@code WRENN_SANDBOX_URL}) from the
 * environment win; otherwise what {@code wrenn login} saved in {@code ~/.config/wrenn/config} (0600, in a 0700
 * directory; {@code XDG_CONFIG_HOME} is honoured).
 */
final class CliConfig {
    private CliConfig() {}

    static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("wrenn").resolve("config");
    }

    static Properties saved(Map<String, String> env) {
        Properties p = new Properties();
        Path f = file(env);
        if (Files.isRegularFile(f)) {
            try (Reader r = Files.newBufferedReader(f)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
        return p;
    }

    /** The connection, or a usage error saying how to log in. */
    static ConnectionConfig connection(Map<String, String> env) {
        Properties saved = saved(env);
        String url = firstSet(env.get("WRENN_URL"), saved.getProperty("url"));
        String key = firstSet(env.get("WRENN_API_KEY"), saved.getProperty("api_key"));
        String sandboxUrl = firstSet(env.get("WRENN_SANDBOX_URL"), saved.getProperty("sandbox_url"));
        if (url == null || key == null) {
            throw new UsageException("not logged in: run `./wrenn login` (or set WRENN_URL and WRENN_API_KEY)");
        }
        // A create can cold-boot a VM (a template's first clone, a busy host): a person waits longer than a program.
        return ConnectionConfig.wrenn(url, key)
                .sandboxUrl(sandboxUrl)
                .requestTimeout(java.time.Duration.ofMinutes(5))
                .build();
    }

    /** Saves URL and key: written to a 0600 temporary file in the 0700 directory, then renamed over the old. */
    static Path save(Map<String, String> env, String url, String key, String sandboxUrl) {
        Path f = file(env);
        try {
            Path dir = f.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = dir.resolve(".config.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Properties p = new Properties();
            p.setProperty("url", url);
            p.setProperty("api_key", key);
            if (sandboxUrl != null) {
                p.setProperty("sandbox_url", sandboxUrl);
            }
            try (Writer w = Files.newBufferedWriter(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
                p.store(w, "wrenn login: the server and API key of the wrenn client commands");
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
