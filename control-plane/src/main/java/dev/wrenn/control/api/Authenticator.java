package dev.wrenn.control.api;

import dev.wrenn.control.audit.Actor;
import dev.wrenn.control.audit.AuditContext;
import dev.wrenn.control.auth.ApiKeyFormat;
import dev.wrenn.control.auth.JwtService;
import dev.wrenn.control.auth.RateLimiter;
import dev.wrenn.control.auth.UserClaims;
import dev.wrenn.control.db.ApiKeyOwner;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.service.ApiKeyService;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Wraps route handlers in the two authentication rules: user token only ({@link #jwt}), or API key first and user
 * token second ({@link #apiKeyOrJwt}). Messages are the original system's. Failed API key checks are rate limited
 * per client address and per key prefix (429 with {@code Retry-After}, checked before the key is looked up), and the
 * caller is bound as the audit log's actor ({@link AuditContext}) while its handler runs.
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
    private final StreamLimits streams;
    /** Failed key checks from one address: 30 at once, then one every 2 s. */
    private final RateLimiter keyFailuresByAddress =
            new RateLimiter("failed API key checks from this address", 30, 2_000, Clock.systemUTC());
    /** Failed checks of keys starting with one shown prefix (a guesser aiming at one key): 10, then one every 10 s. */
    private final RateLimiter keyFailuresByPrefix =
            new RateLimiter("failed checks of API keys with this prefix", 10, 10_000, Clock.systemUTC());

    public Authenticator(JwtService tokens, ApiKeyService apiKeys) {
        this(tokens, apiKeys, userId -> false);
    }

    /** @param isAdmin whether a user id belongs to an administrator of the installation */
    public Authenticator(JwtService tokens, ApiKeyService apiKeys, Predicate<String> isAdmin) {
        this(tokens, apiKeys, isAdmin, StreamLimits.fromEnv(System.getenv()));
    }

    public Authenticator(JwtService tokens, ApiKeyService apiKeys, Predicate<String> isAdmin, StreamLimits streams) {
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.isAdmin = isAdmin;
        this.streams = streams;
    }

    /** The bounds on the long-lived connections each credential and team hold open. */
    public StreamLimits streams() {
        return streams;
    }

    /** For the installation's own routes (metrics): an administrator's user token; 401 without one, 403 otherwise. */
    public Handler admin(AuthenticatedHandler handler) {
        return ctx -> {
            Principal caller = fromBearer(ctx, BEARER_REQUIRED);
            if (!isAdmin.test(caller.userId())) {
                throw new ApiException(ErrorCode.FORBIDDEN, ADMIN_REQUIRED);
            }
            run(handler, ctx, caller);
        };
    }

    /** For account management: a person must be behind the request. */
    public Handler jwt(AuthenticatedHandler handler) {
        return ctx -> run(handler, ctx, fromBearer(ctx, BEARER_REQUIRED));
    }

    /** For the sandbox API: programs use keys, the web console uses the user's token. */
    public Handler apiKeyOrJwt(AuthenticatedHandler handler) {
        return ctx -> run(handler, ctx, fromKeyOrBearer(ctx));
    }

    /** The audit log's actor for {@code caller}, calling from {@code address}. */
    public static Actor actor(Principal caller, String address) {
        return caller.via() == Principal.Via.API_KEY
                ? Actor.apiKey(caller.keyId(), address)
                : Actor.user(caller.userId(), address);
    }

    private static void run(AuthenticatedHandler handler, Context ctx, Principal caller) throws Exception {
        AuditContext.as(actor(caller, ctx.req().getRemoteAddr()), () -> handler.handle(ctx, caller));
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
    public Principal callerFromToken(String token, String address) {
        if (token == null || token.isBlank()) {
            throw ApiException.unauthorized("an API key or a user token is required");
        }
        String credential = token.strip();
        if (ApiKeyFormat.looksLikeKey(credential)) {
            return fromKey(credential, address);
        }
        UserClaims claims = tokens.verify(credential);
        return Principal.ofUser(claims.userId(), claims.teamId(), claims.email());
    }

    private Principal fromKeyOrBearer(Context ctx) {
        String key = ctx.header(API_KEY_HEADER);
        if (key != null) {
            return fromKey(key.strip(), ctx.req().getRemoteAddr());
        }
        return fromBearer(ctx, KEY_OR_BEARER_REQUIRED);
    }

    /** Refused with 429 before the lookup while the address or the key's prefix has failed too often. */
    private Principal fromKey(String key, String address) {
        String prefix = key.substring(0, Math.min(key.length(), ApiKeyFormat.SHOWN_PREFIX_LENGTH));
        String from = address == null ? "" : address;
        keyFailuresByAddress.check(from);
        keyFailuresByPrefix.check(prefix);
        Optional<ApiKeyOwner> owner = apiKeys.authenticate(key);
        if (owner.isEmpty()) {
            keyFailuresByAddress.tryAcquireQuietly(from);
            keyFailuresByPrefix.tryAcquireQuietly(prefix);
            throw ApiException.unauthorized(INVALID_API_KEY);
        }
        return Principal.ofApiKey(owner.get().teamId(), owner.get().keyId());
    }

    private Principal fromBearer(Context ctx, String missingMessage) {
        UserClaims claims = bearerClaims(ctx, missingMessage);
        return Principal.ofUser(claims.userId(), claims.teamId(), claims.email());
    }

    /** The verified claims of the request's user token (a logout revokes that very token). */
    public UserClaims bearerClaims(Context ctx) {
        return bearerClaims(ctx, BEARER_REQUIRED);
    }

    private UserClaims bearerClaims(Context ctx, String missingMessage) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized(missingMessage);
        }
        return tokens.verify(header.substring(BEARER.length()).strip());
    }
}
