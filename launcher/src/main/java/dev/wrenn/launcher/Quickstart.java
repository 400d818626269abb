package dev.wrenn.launcher;

/**
 * What {@code wrenn up} prints once it serves: where to go, and an example to paste into another terminal that
 * signs up (or, when the account exists, logs in; the failed signup is silent), makes an API key, creates a sandbox, runs a command in it and destroys it.
 * It needs only a shell, curl and sed. build/up-smoke.sh runs these exact lines against a real {@code wrenn up}.
 */
final class Quickstart {
    /** The line that introduces the example; the example is the indented block after it, up to a blank line. */
    static final String EXAMPLE_HEADING = "Try the API from another terminal:";

    private Quickstart() {}

    static String banner(String url) {
        return banner(url, null);
    }

    /** @param proxyUrl the E2B sandbox traffic proxy, shown with the two variables E2B's SDKs need; null leaves it out */
    static String banner(String url, String proxyUrl) {
        String e2b = proxyUrl == null
                ? ""
                : "  E2B SDKs     E2B_API_URL=%s E2B_SANDBOX_URL=%s (and an e2b_ key: POST /v1/api-keys {\"format\":\"e2b\"})\n"
                        .formatted(url.substring(0, url.length() - 1), proxyUrl);
        return """

                Wrenn is running at %1$s
                  web console  %1$s
                  API          %1$sv1   (reference: %1$sdocs)
                %4$sPress Ctrl-C to stop; running sandboxes are destroyed.

                %2$s
                %3$s
                """.formatted(url, EXAMPLE_HEADING, example(url).indent(2).stripTrailing(), e2b);
    }

    /** Plain POSIX shell; JSON fields are picked with sed so that nothing beyond curl needs installing. */
    static String example(String url) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return """
                WRENN=%s
                ME='{"email":"me@example.com","password":"change-me-please"}'
                TOKEN=$( (curl -sf $WRENN/v1/auth/signup -H 'Content-Type: application/json' -d "$ME" \\
                  || curl -sSf $WRENN/v1/auth/login -H 'Content-Type: application/json' -d "$ME") \\
                  | sed -n 's/.*"token":"\\([^"]*\\)".*/\\1/p')
                KEY=$(curl -sSf $WRENN/v1/api-keys -H "Authorization: Bearer $TOKEN" \\
                  -H 'Content-Type: application/json' -d '{"name":"quickstart"}' \\
                  | sed -n 's/.*"key":"\\([^"]*\\)".*/\\1/p')
                SB=$(curl -sSf $WRENN/v1/sandboxes -H "X-API-Key: $KEY" \\
                  -H 'Content-Type: application/json' -d '{"template":"base"}' \\
                  | sed -n 's/.*"id":"\\([^"]*\\)".*/\\1/p')
                curl -sSf $WRENN/v1/sandboxes/$SB/exec -H "X-API-Key: $KEY" \\
                  -H 'Content-Type: application/json' -d '{"cmd":"sh","args":["-c","echo hello from $(uname -n)"]}'
                curl -sSf -X DELETE $WRENN/v1/sandboxes/$SB -H "X-API-Key: $KEY"
                """.formatted(base);
    }
}
