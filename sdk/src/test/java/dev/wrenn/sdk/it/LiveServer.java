package dev.wrenn.sdk.it;

import dev.wrenn.sdk.ConnectionConfig;

/**
 * The real {@code wrenn up} the integration tier (build/sdk-cli.sh) started: {@code WRENN_URL} and
 * {@code WRENN_API_KEY}. Missing variables fail the test, never skip it: a tier that cannot run must say so.
 */
final class LiveServer {
    private LiveServer() {}

    static ConnectionConfig config() {
        String url = System.getenv("WRENN_URL");
        String key = System.getenv("WRENN_API_KEY");
        if (url == null || url.isBlank() || key == null || key.isBlank()) {
            throw new IllegalStateException("the SDK's integration tests need a running `./wrenn up`: set WRENN_URL and"
                    + " WRENN_API_KEY (build/sdk-cli.sh does)");
        }
        // Generous: under TCG on a shared machine the first create of a template cold-boots a VM (minutes).
        return ConnectionConfig.fromEnvironment().withRequestTimeout(java.time.Duration.ofMinutes(5));
    }
}
