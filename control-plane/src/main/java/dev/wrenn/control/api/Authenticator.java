package dev.wrenn.control.api;

import dev.wrenn.control.auth.ApiKeyFormat;
import dev.wrenn.control.auth.JwtService;
import dev.wrenn.control.auth.UserClaims;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.service.ApiKeyService;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.function.Predicate;

/**
 * Wraps route handlers in the two authentication rules: user token only ({@link #jwt}), or API key first and user
 * token second ({@link #apiKeyOrJwt}). Messages are the original system's.
 */
public final class Authenticator {
    public static final String API_KEY_HEADER = "X-API-Key";
    static final String BEARER_REQUIRED = "Authorization: Bearer <token> required";
    static final String KEY_OR_BEARER_REQUIRED = "X-API-Key or Authorization: Bearer <token> required";
    static final String INVALID_API_KEY = "invalid API key";
    private static final String BEARER = "Bearer ";

    static final String ADMIN_REQUIRED = "an administrator's token is required";

    private final JwtService tokens;
    private final ApiKeyService apiKeys;
    private final Predicate<String> isAdmin;

    public Authenticator(JwtService tokens, ApiKeyService apiKeys) {
        this(tokens, apiKeys, userId -> false);
    }

    /** @param isAdmin whether a user id belongs to an administrator of the installation */
    public Authenticator(JwtService tokens, ApiKeyService apiKeys, Predicate<String> isAdmin) {
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.isAdmin = isAdmin;
    }

    /** For the installation's own routes (metrics): an administrator's user token; 401 without one, 403 otherwise. */
    public Handler admin(AuthenticatedHandler handler) {
        return ctx -> {
            Principal caller = fromBearer(ctx, BEARER_REQUIRED);
            if (!isAdmin.test(caller.userId())) {
                throw new ApiException(ErrorCode.FORBIDDEN, ADMIN_REQUIRED);
            }
            handler.handle(ctx, caller);
        };
    }

    /** For account management: a person must be behind the request. */
    public Handler jwt(AuthenticatedHandler handler) {
        return ctx -> handler.handle(ctx, fromBearer(ctx, BEARER_REQUIRED));
    }

    /** For the sandbox API: programs use keys, the web console uses the user's token. */
    public Handler apiKeyOrJwt(AuthenticatedHandler handler) {
        return ctx -> handler.handle(ctx, fromKeyOrBearer(ctx));
    }

    /** The caller of a request that needs a user token, e.g. for a WebSocket upgrade handler. */
    public Principal jwtCaller(Context ctx) {
        return fromBearer(ctx, BEARER_REQUIRED);
    }

    /** The caller of a request that takes an API key or a user token, e.g. for a WebSocket upgrade handler. */
    public Principal apiKeyOrJwtCaller(Context ctx) {
        return fromKeyOrBearer(ctx);
    }

    /** Whether the request carries credentials in headers (a WebSocket from a browser cannot, and sends a frame). */
    public boolean hasCredentialHeaders(Context ctx) {
        return ctx.header(API_KEY_HEADER) != null || ctx.header("Authorization") != null;
    }

    /**
     * The caller behind a bare credential, as a WebSocket's first frame {@code {"type":"auth","token":...}} carries
     * it: an API key (recognised by its prefix) or a user token.
     */
    public Principal callerFromToken(String token) {
        if (token == null || token.isBlank()) {
            throw ApiException.unauthorized("an API key or a user token is required");
        }
        String credential = token.strip();
        if (ApiKeyFormat.looksLikeKey(credential)) {
            return apiKeys.authenticate(credential)
                    .map(owner -> Principal.ofApiKey(owner.teamId()))
                    .orElseThrow(() -> ApiException.unauthorized(INVALID_API_KEY));
        }
        UserClaims claims = tokens.verify(credential);
        return Principal.ofUser(claims.userId(), claims.teamId(), claims.email());
    }

    private Principal fromKeyOrBearer(Context ctx) {
        String key = ctx.header(API_KEY_HEADER);
        if (key != null) {
            return apiKeys.authenticate(key.strip())
                    .map(owner -> Principal.ofApiKey(owner.teamId()))
                    .orElseThrow(() -> ApiException.unauthorized(INVALID_API_KEY));
        }
        return fromBearer(ctx, KEY_OR_BEARER_REQUIRED);
    }

    private Principal fromBearer(Context ctx, String missingMessage) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized(missingMessage);
        }
        UserClaims claims = tokens.verify(header.substring(BEARER.length()).strip());
        return Principal.ofUser(claims.userId(), claims.teamId(), claims.email());
    }
}
