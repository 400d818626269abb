package dev.wrenn.control.e2b;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which sandbox and port a proxied request is for: the host name {@code <port>-<sandboxID>.<domain>} when it has
 * that shape, else the {@code E2b-Sandbox-Id} header (all sandboxes share one URL when the SDK is given
 * {@code E2B_SANDBOX_URL}) with {@code E2b-Sandbox-Port} or the guest agent's port.
 */
record ProxyRoute(String sandboxId, int port) {
    static final int ENVD_PORT = 49983;
    private static final Pattern HOST = Pattern.compile("(\\d{1,5})-([A-Za-z0-9_-]+)\\..*");

    static Optional<ProxyRoute> of(String host, String sandboxHeader, String portHeader) {
        if (host != null) {
            Matcher m = HOST.matcher(host);
            if (m.matches()) {
                return port(m.group(1)).map(port -> new ProxyRoute(m.group(2), port));
            }
        }
        if (sandboxHeader == null || sandboxHeader.isBlank()) {
            return Optional.empty();
        }
        Optional<Integer> port = portHeader == null ? Optional.of(ENVD_PORT) : port(portHeader.strip());
        return port.map(p -> new ProxyRoute(sandboxHeader.strip(), p));
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
