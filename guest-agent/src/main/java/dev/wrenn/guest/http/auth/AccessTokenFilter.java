package dev.wrenn.guest.http.auth;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.guest.http.transport.Replies;
import dev.wrenn.guest.state.AgentState;
import java.io.IOException;
import java.util.Set;

/**
 * Once /init has set an access token, requires {@code X-Access-Token} to equal it. The exempt routes ("METHOD
 * /path") authorize themselves: /files accepts a signed URL instead, /init checks the token itself, /health is
 * public.
 */
public final class AccessTokenFilter extends Filter {
    private final AgentState state;
    private final Set<String> exemptRoutes;

    public AccessTokenFilter(AgentState state, Set<String> exemptRoutes) {
        this.state = state;
        this.exemptRoutes = Set.copyOf(exemptRoutes);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String route =
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        String presented = exchange.getRequestHeaders().getFirst(AccessTokens.HEADER);
        if (exemptRoutes.contains(route) || AccessTokens.accepts(state, presented)) {
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            Replies.error(exchange, 401, AccessTokens.UNAUTHORIZED);
        }
    }

    @Override
    public String description() {
        return "envd access token";
    }
}
