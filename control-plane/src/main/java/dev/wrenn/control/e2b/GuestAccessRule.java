package dev.wrenn.control.e2b;

/**
 * What the proxy lets through to a guest agent. /init (where the host agent hands the guest its token and env) is
 * never reachable from outside; {@code GET /health} is open (the SDK probes it to tell a dead sandbox); /files with a
 * signature is checked by the guest itself; everything else needs the sandbox's access token.
 */
enum GuestAccessRule {
    FORBIDDEN,
    OPEN,
    TOKEN;

    static GuestAccessRule of(String method, String path, String query) {
        if (path.equals("/init") || path.startsWith("/init/")) {
            return FORBIDDEN;
        }
        if (method.equals("GET") && path.equals("/health")) {
            return OPEN;
        }
        if (path.equals("/files") && query != null && hasParameter(query, "signature")) {
            return OPEN;
        }
        return TOKEN;
    }

    private static boolean hasParameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.equals(name) || pair.startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }
}
