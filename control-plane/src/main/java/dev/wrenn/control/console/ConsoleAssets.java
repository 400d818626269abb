package dev.wrenn.control.console;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
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
            files.headers = Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff");
        });
    }
}
