package dev.wrenn.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the SDK sends its calls and with which key: the control plane's API, the sandbox traffic endpoint (envd,
 * usually through a proxy), the API key, and the default deadline of every call.
 *
 * <p>{@link #fromEnvironment()} reads, in this order of preference:
 *
 * <ul>
 *   <li>Wrenn: {@code WRENN_URL} (the control plane, e.g. {@code http://127.0.0.1:8080}) and {@code WRENN_API_KEY};
 *       the sandbox proxy is {@code WRENN_SANDBOX_URL}, else the control plane's port + 1 (what {@code wrenn up} and
 *       {@code wrenn control-plane} serve by default).
 *   <li>E2B or any E2B-compatible endpoint: {@code E2B_API_KEY}, {@code E2B_DOMAIN} (default {@code e2b.app}),
 *       {@code E2B_API_URL} (default {@code https://api.<domain>}) and {@code E2B_SANDBOX_URL} (default: each
 *       sandbox's own {@code https://49983-<id>.<domain>}).
 * </ul>
 */
public final class ConnectionConfig {
    /** The default deadline of one call (E2B's SDKs use the same). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** envd's port inside every sandbox. */
    public static final int ENVD_PORT = 49983;
    /** E2B's default domain. */
    public static final String DEFAULT_DOMAIN = "e2b.app";

    private final URI apiUrl;
    private final URI sandboxUrl;
    private final String apiKey;
    private final String domain;
    private final Duration requestTimeout;
    private final boolean wrenn;

    private ConnectionConfig(Builder b) {
        this.apiKey = b.apiKey;
        this.domain = b.domain == null ? DEFAULT_DOMAIN : b.domain;
        this.apiUrl = URI.create(stripSlash(b.apiUrl != null ? b.apiUrl : "https://api." + this.domain));
        this.sandboxUrl = b.sandboxUrl == null ? null : URI.create(stripSlash(b.sandboxUrl));
        this.requestTimeout = b.requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : b.requestTimeout;
        this.wrenn = b.wrenn;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive (got " + requestTimeout + ")");
        }
    }

    /** The configuration the environment variables describe (see the class description). */
    public static ConnectionConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, over the given variables (tests, or a launcher that builds them). */
    public static ConnectionConfig fromEnvironment(Map<String, String> env) {
        String wrennUrl = blankToNull(env.get("WRENN_URL"));
        if (wrennUrl != null) {
            return wrenn(wrennUrl, blankToNull(env.get("WRENN_API_KEY")))
                    .sandboxUrl(blankToNull(env.get("WRENN_SANDBOX_URL")))
                    .build();
        }
        return builder()
                .apiKey(blankToNull(env.get("E2B_API_KEY")))
                .domain(blankToNull(env.get("E2B_DOMAIN")))
                .apiUrl(blankToNull(env.get("E2B_API_URL")))
                .sandboxUrl(blankToNull(env.get("E2B_SANDBOX_URL")))
                .build();
    }

    /**
     * A builder for a Wrenn control plane at {@code url} with {@code apiKey}; the sandbox proxy defaults to the same
     * host on the next port (set {@link Builder#sandboxUrl(String)} when it is elsewhere).
     */
    public static Builder wrenn(String url, String apiKey) {
        Objects.requireNonNull(url, "url");
        Builder b = builder().apiUrl(url).apiKey(apiKey);
        b.wrenn = true;
        return b;
    }

    /** An empty builder: E2B's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The control plane's base URL, without a trailing slash. */
    public URI apiUrl() {
        return apiUrl;
    }

    /** The API key, or null when none is configured (calls to the API then fail with an authentication error). */
    public String apiKey() {
        return apiKey;
    }

    /** The sandbox domain used when a sandbox's envd URL is derived from its id. */
    public String domain() {
        return domain;
    }

    /** The default deadline of each call. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Whether this points at Wrenn (its own routes, such as template listing, are then used). */
    public boolean isWrenn() {
        return wrenn;
    }

    /**
     * The base URL of a sandbox's envd: the configured sandbox URL (one proxy for every sandbox, which routes by the
     * {@code E2b-Sandbox-Id} header), Wrenn's proxy next to its API, or {@code https://49983-<id>.<domain>}.
     */
    public URI sandboxUrl(String sandboxId, String sandboxDomain) {
        if (sandboxUrl != null) {
            return sandboxUrl;
        }
        if (wrenn) {
            int port = apiUrl.getPort() > 0 ? apiUrl.getPort() : "https".equals(apiUrl.getScheme()) ? 443 : 80;
            return URI.create(apiUrl.getScheme() + "://" + apiUrl.getHost() + ":" + (port + 1));
        }
        String d = sandboxDomain == null ? domain : sandboxDomain;
        return URI.create("https://" + ENVD_PORT + "-" + sandboxId + "." + d.toLowerCase(Locale.ROOT));
    }

    /** This configuration with another default deadline. */
    public ConnectionConfig withRequestTimeout(Duration timeout) {
        Builder b = toBuilder();
        b.requestTimeout = timeout;
        return b.build();
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.apiUrl = apiUrl.toString();
        b.sandboxUrl = sandboxUrl == null ? null : sandboxUrl.toString();
        b.apiKey = apiKey;
        b.domain = domain;
        b.requestTimeout = requestTimeout;
        b.wrenn = wrenn;
        return b;
    }

    @Override
    public String toString() {
        // Never the key.
        return "ConnectionConfig[api=" + apiUrl + ", sandbox=" + (sandboxUrl == null ? "(per sandbox)" : sandboxUrl)
                + ", wrenn=" + wrenn + "]";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Builds a {@link ConnectionConfig}; every field is optional. */
    public static final class Builder {
        private String apiUrl;
        private String sandboxUrl;
        private String apiKey;
        private String domain;
        private Duration requestTimeout;
        private boolean wrenn;

        private Builder() {}

        /** The control plane's base URL. */
        public Builder apiUrl(String url) {
            this.apiUrl = url;
            return this;
        }

        /** One envd base URL for every sandbox (a proxy that routes by the {@code E2b-Sandbox-Id} header). */
        public Builder sandboxUrl(String url) {
            this.sandboxUrl = url;
            return this;
        }

        /** The API key ({@code X-API-Key}). */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** The sandbox domain (E2B's {@code E2B_DOMAIN}). */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** The default deadline of each call. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** The configuration. */
        public ConnectionConfig build() {
            return new ConnectionConfig(this);
        }
    }
}
