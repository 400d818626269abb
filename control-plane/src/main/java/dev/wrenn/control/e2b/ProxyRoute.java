package dev.wrenn.control.e2b;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which sandbox and port a proxied request is for: the host name {@code <port>-<sandboxID>.<domain>} when it has
 * that shape under the configured domain, else the {@code E2b-Sandbox-Id} header (all sandboxes share one URL when the SDK is given
 * {@code E2B_SANDBOX_URL}) with {@code E2b-Sandbox-Port} or the guest agent's port.
 */
record ProxyRoute(String sandboxId, int port) {
    static final int ENVD_PORT = 49983;
    /** The default sandbox domain: {@code <port>-<id>.localhost} resolves to this machine without any DNS set-up. */
    static final String DEFAULT_DOMAIN = "localhost";

    private static final Pattern LABEL = Pattern.compile("(\\d{1,5})-([A-Za-z0-9_-]+)");

    /**
     * @param domain the configured sandbox domain: only {@code <port>-<id>.<domain>} (optionally with
     *     {@code :port}) routes by host name; any other host falls back to the headers
     */
    static Optional<ProxyRoute> of(String host, String sandboxHeader, String portHeader, String domain) {
        Optional<ProxyRoute> byHost = byHost(host, domain);
        if (byHost.isPresent()) {
            return byHost;
        }
        if (sandboxHeader == null || sandboxHeader.isBlank()) {
            return Optional.empty();
        }
        Optional<Integer> port = portHeader == null ? Optional.of(ENVD_PORT) : port(portHeader.strip());
        return port.map(p -> new ProxyRoute(sandboxHeader.strip(), p));
    }

    private static Optional<ProxyRoute> byHost(String host, String domain) {
        if (host == null) {
            return Optional.empty();
        }
        String name = host.replaceFirst(":\\d+$", "").toLowerCase(java.util.Locale.ROOT);
        String suffix = "." + domain.toLowerCase(java.util.Locale.ROOT);
        if (!name.endsWith(suffix)) {
            return Optional.empty();
        }
        Matcher m = LABEL.matcher(name.substring(0, name.length() - suffix.length()));
        if (!m.matches()) {
            return Optional.empty();
        }
        return port(m.group(1)).map(port -> new ProxyRoute(m.group(2), port));
    }

    boolean isGuestAgent() {
        return port == ENVD_PORT;
    }

    private static Optional<Integer> port(String digits) {
        try {
            int port = Integer.parseInt(digits);
            return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
