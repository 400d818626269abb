package dev.wrenn.guest.http.transport;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Lets browser SDKs call the agent from any origin: every response allows any origin and exposes the Connect
 * headers, and OPTIONS preflights are answered here (before the access-token check, as browsers send no custom
 * headers on a preflight).
 */
public final class CorsFilter extends Filter {
    private static final String EXPOSED_HEADERS = String.join(
            ", ",
            "Connect-Protocol-Version",
            "Connect-Content-Encoding",
            "Connect-Accept-Encoding",
            "Grpc-Status",
            "Grpc-Message",
            "Grpc-Status-Details-Bin",
            "Content-Encoding",
            "Content-Disposition",
            "Content-Range",
            "X-Envd-Version");
    private static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Headers response = exchange.getResponseHeaders();
        response.set("Access-Control-Allow-Origin", "*");
        response.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (!exchange.getRequestMethod().equals("OPTIONS")) {
            chain.doFilter(exchange);
            return;
        }
        String requested = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        response.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
        response.set("Access-Control-Allow-Headers", requested == null || requested.isBlank() ? "*" : requested);
        response.set("Access-Control-Max-Age", "7200");
        Replies.empty(exchange, 204);
    }

    @Override
    public String description() {
        return "CORS: any origin, all headers, Connect headers exposed";
    }
}
