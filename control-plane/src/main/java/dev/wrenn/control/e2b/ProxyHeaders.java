package dev.wrenn.control.e2b;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which request headers the proxy passes on to a guest. Wrenn's own credentials never reach a guest (the guest is
 * hostile: an API key or user token there is a key to the whole team): {@code X-API-Key}, Wrenn's cookies (named
 * {@code wrenn…}; a guest app's own cookies pass), and an {@code Authorization} header unless it is the
 * {@code Basic} form E2B's SDK sends to envd to name the user ({@code base64("<user>:")}). Hop-by-hop headers, and
 * those the JDK client sets itself, are not forwarded either.
 */
final class ProxyHeaders {
    static final String WRENN_COOKIE_PREFIX = "wrenn";
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length",
            "host",
            "expect",
            "x-api-key");

    private ProxyHeaders() {}

    /** The value to forward for the request header {@code name}, empty to drop it. */
    static Optional<String> forwardedRequest(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("authorization")) {
            return value.regionMatches(true, 0, "Basic ", 0, 6) ? Optional.of(value) : Optional.empty();
        }
        if (lower.equals("cookie")) {
            String kept = Arrays.stream(value.split(";"))
                    .map(String::strip)
                    .filter(pair -> !pair.isEmpty() && !isWrennCookie(pair))
                    .collect(Collectors.joining("; "));
            return kept.isEmpty() ? Optional.empty() : Optional.of(kept);
        }
        return NOT_FORWARDED.contains(lower) ? Optional.empty() : Optional.of(value);
    }

    /** Whether the guest's response header {@code name} is passed back to the client. */
    static boolean forwardsResponse(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith(":") && !NOT_FORWARDED.contains(lower);
    }

    private static boolean isWrennCookie(String pair) {
        return pair.regionMatches(true, 0, WRENN_COOKIE_PREFIX, 0, WRENN_COOKIE_PREFIX.length());
    }
}
