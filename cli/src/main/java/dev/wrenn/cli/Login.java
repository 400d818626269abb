package dev.wrenn.cli;

import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.SandboxQuery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code wrenn login}: asks for (or takes) the server URL and API key, checks them with one call, saves them. */
final class Login {
    private Login() {}

    static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of(), Set.of("--url", "--key", "--sandbox-url"));
        a.atMost(0);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String url = a.value("--url");
        if (url == null) {
            String fallback = env.getOrDefault("WRENN_URL", "http://127.0.0.1:8080");
            err.print("Wrenn URL [" + fallback + "]: ");
            err.flush();
            url = line(stdin);
            if (url == null || url.isBlank()) {
                url = fallback;
            }
        }
        String key = a.value("--key");
        if (key == null) {
            if (System.console() != null) {
                char[] typed = System.console().readPassword("API key (POST /v1/api-keys, or the web console): ");
                key = typed == null ? null : new String(typed);
            } else {
                key = line(stdin);
            }
        }
        if (key == null || key.isBlank()) {
            throw new UsageException("no API key given");
        }
        ConnectionConfig config = ConnectionConfig.wrenn(url.strip(), key.strip())
                .sandboxUrl(a.value("--sandbox-url"))
                .build();
        // One call proves URL and key before anything is saved.
        Sandbox.list(SandboxQuery.builder().config(config).limit(1).build()).nextItems();
        Path saved = CliConfig.save(env, url.strip(), key.strip(), a.value("--sandbox-url"));
        out.println("Logged in to " + url.strip() + " (saved in " + saved + ")");
        return 0;
    }

    private static String line(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the terminal", e);
        }
    }
}
