package dev.wrenn.control.console;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * The web console, served from the jar: {@code index.html} at {@code /}, its modules under {@code /src/} and
 * xterm.js under {@code /vendor/} (copied from the npm registry at build time; nothing comes from a CDN). The build
 * puts them under {@code console/} on the classpath. Hash routing in the console means no SPA fallback is needed.
 */
public final class ConsoleAssets {
    /** Where the build puts the console's files on the classpath. */
    public static final String CLASSPATH_DIR = "/console";

    private ConsoleAssets() {}

    public static void register(JavalinConfig javalin) {
        if (ConsoleAssets.class.getResource(CLASSPATH_DIR + "/index.html") == null) {
            // Only a build that skipped the console's resources gets here; the API still works without it.
            throw new IllegalStateException("the web console is missing from the jar (" + CLASSPATH_DIR
                    + "/index.html); build the control plane with Maven, which runs console/build.sh");
        }
        javalin.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = CLASSPATH_DIR;
            files.location = Location.CLASSPATH;
            // Module scripts must be served as JavaScript or browsers refuse to run them.
            files.mimeTypes.add("text/javascript", "js", "mjs");
            files.mimeTypes.add("text/css", "css");
            // A new jar must reach browsers at once: they revalidate every file (cheap, with ETags).
            files.headers = Map.of(
                    "Cache-Control",
                    "no-cache",
                    "X-Content-Type-Options",
                    "nosniff",
                    "X-Frame-Options",
                    "DENY",
                    "Referrer-Policy",
                    "no-referrer",
                    "Content-Security-Policy",
                    contentSecurityPolicy());
        });
    }

    /**
     * Scripts only from this origin, plus the page's one inline script (the import map), allowed by its hash so that
     * an injected inline script never runs; no framing (clickjacking). Styles allow inline because xterm.js writes its
     * theme into a {@code <style>} element; images allow {@code data:} for the favicon.
     */
    static String contentSecurityPolicy() {
        return "default-src 'self'; script-src 'self' '" + importMapHash() + "'; style-src 'self' 'unsafe-inline';"
                + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
                + " frame-ancestors 'none'";
    }

    /** The CSP source for the import map's exact text, read from the page that is served. */
    private static String importMapHash() {
        String page = indexHtml();
        String open = "<script type=\"importmap\">";
        int start = page.indexOf(open);
        int end = page.indexOf("</script>", start);
        if (start < 0 || end < 0) {
            throw new IllegalStateException("the console's index.html has no import map");
        }
        byte[] text = page.substring(start + open.length(), end).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text);
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String indexHtml() {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(CLASSPATH_DIR + "/index.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the console's index.html from the jar", e);
        }
    }
}
