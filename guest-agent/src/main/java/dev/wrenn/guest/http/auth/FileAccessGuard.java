package dev.wrenn.guest.http.auth;

import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.guest.http.transport.HttpError;
import dev.wrenn.guest.http.transport.QueryParams;
import dev.wrenn.guest.state.AgentState;
import java.time.InstantSource;
import java.util.OptionalLong;

/**
 * Authorizes /files, which the access-token filter lets through: with a token set, the request must carry it in
 * X-Access-Token or be a signed URL for this path, operation and user that has not expired.
 */
public final class FileAccessGuard {
    private final AgentState state;
    private final InstantSource clock;

    public FileAccessGuard(AgentState state, InstantSource clock) {
        this.state = state;
        this.clock = clock;
    }

    public void check(HttpExchange exchange, QueryParams query, String operation) {
        if (state.accessToken().isEmpty()) {
            return;
        }
        String token = state.accessToken().get();
        String presented = exchange.getRequestHeaders().getFirst(AccessTokens.HEADER);
        if (presented != null && !presented.isEmpty()) {
            if (!AccessTokens.equal(token, presented)) {
                throw HttpError.unauthorized("the X-Access-Token header does not match the sandbox's access token");
            }
            return;
        }
        checkSignature(query, operation, token);
    }

    private void checkSignature(QueryParams query, String operation, String token) {
        String signature = query.get("signature")
                .orElseThrow(() -> HttpError.unauthorized(
                        "missing signature query parameter: send X-Access-Token or use a signed URL"));
        OptionalLong expiration = expiration(query);
        String expected = FileSignatures.sign(
                query.get("path").orElse(""), operation, query.get("username").orElse(""), token, expiration);
        if (!AccessTokens.equal(expected, signature)) {
            throw HttpError.unauthorized("invalid signature for " + operation + " of this path and user");
        }
        if (expiration.isPresent() && expiration.getAsLong() < clock.instant().getEpochSecond()) {
            throw HttpError.unauthorized("signature is already expired");
        }
    }

    private static OptionalLong expiration(QueryParams query) {
        return query.get("signature_expiration")
                .map(text -> {
                    try {
                        return OptionalLong.of(Long.parseLong(text));
                    } catch (NumberFormatException e) {
                        throw HttpError.badRequest("signature_expiration '" + text + "' is not a unix timestamp");
                    }
                })
                .orElse(OptionalLong.empty());
    }
}
