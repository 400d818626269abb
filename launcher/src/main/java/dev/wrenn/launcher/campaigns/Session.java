package dev.wrenn.launcher.campaigns;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;

/**
 * The Wrenn a campaign drives: its own scratch {@code ./wrenn up} (the default), or the one {@code --url} names with
 * {@code --api-key}. Gives the API, the E2B proxy's URL, an E2B-format key for the proxy, the process to sample, and
 * the leftover checks for its data directory and slot range.
 */
final class Session implements AutoCloseable {
    private final ScratchUp up;
    private final WrennApi api;
    private final String proxyUrl;
    private final long pid;
    private final Leftovers leftovers;
    private final HttpClient http;

    private Session(ScratchUp up, WrennApi api, String proxyUrl, long pid, Leftovers leftovers, HttpClient http) {
        this.up = up;
        this.api = api;
        this.proxyUrl = proxyUrl;
        this.pid = pid;
        this.leftovers = leftovers;
        this.http = http;
    }

    static Session open(Path root, CampaignOptions options, PrintStream out) throws IOException, InterruptedException {
        HttpClient http = WrennApi.newClient();
        Leftovers leftovers = new Leftovers(options.dataDir(), options.firstSlot(), options.maxSandboxes());
        if (!options.scratch()) {
            String url = options.url();
            String proxy = options.values().getOrDefault("--proxy-url", null);
            return new Session(null, new WrennApi(url, http, options.apiKey()), proxy, options.pid(), leftovers, http);
        }
        ScratchUp up = ScratchUp.start(root, options, out);
        try {
            String[] admin = up.password();
            String key = WrennApi.makeKey(up.url(), http, admin[0], admin[1], "e2b");
            return new Session(up, new WrennApi(up.url(), http, key), up.proxyUrl(), up.pid(), leftovers, http);
        } catch (RuntimeException e) {
            up.close();
            throw e;
        }
    }

    WrennApi api() {
        return api;
    }

    HttpClient http() {
        return http;
    }

    /** The E2B sandbox proxy (E2B_SANDBOX_URL); null when unknown (--url without --proxy-url). */
    String proxyUrl() {
        return proxyUrl;
    }

    /** The sampled process (the scratch {@code wrenn up}, or --pid); 0 when none. */
    long pid() {
        return pid;
    }

    ProcessStats stats() {
        return pid == 0 ? null : ProcessStats.of(pid);
    }

    Leftovers leftovers() {
        return leftovers;
    }

    /** Whether the scratch {@code wrenn up} is still running (always true for --url). */
    boolean alive() {
        return up == null || up.alive();
    }

    /** Stops the scratch {@code wrenn up}; returns a problem to report, or null. */
    String stop() {
        if (up == null) {
            return null;
        }
        up.close();
        return up.stoppedCleanly() ? null : "./wrenn up did not log a clean stop (its output: " + up.log() + ")";
    }

    @Override
    public void close() {
        stop();
    }
}
