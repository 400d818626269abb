package dev.wrenn.guest.http.init;

import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.guest.EnvdVersion;
import dev.wrenn.guest.http.auth.AccessTokens;
import dev.wrenn.guest.http.transport.HttpError;
import dev.wrenn.guest.http.transport.JsonBody;
import dev.wrenn.guest.http.transport.Replies;
import dev.wrenn.guest.http.transport.Route;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.UserDirectory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /init (sent by the host, not by SDKs): global env vars, access token, default user and workdir, the
 * host's clock, and (Wrenn's addition, {@code randomSeed}: base64 of fresh host random bytes) a seed that re-keys the
 * kernel's random generator, which a resumed VM or a clone would otherwise share with its snapshot. Unknown fields
 * are ignored. Once a token is set, a later /init must prove it knows the token,
 * either in X-Access-Token or by sending the same accessToken again (a resumed VM is re-initialized with the same
 * token); otherwise anyone in the sandbox could replace the token.
 */
public final class InitRoute implements Route {
    private static final Logger log = LoggerFactory.getLogger(InitRoute.class);
    private static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(1);

    private final AgentState state;
    private final UserDirectory users;
    private final SystemClock systemClock;
    private final InstantSource clock;
    private final EntropySink entropy;

    public InitRoute(
            AgentState state, UserDirectory users, SystemClock systemClock, InstantSource clock, EntropySink entropy) {
        this.state = state;
        this.users = users;
        this.systemClock = systemClock;
        this.clock = clock;
        this.entropy = entropy;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        boolean headerAuthorized =
                AccessTokens.accepts(state, exchange.getRequestHeaders().getFirst(AccessTokens.HEADER));
        JsonBody body;
        try {
            body = JsonBody.read(exchange, "the init request");
        } catch (HttpError e) {
            throw headerAuthorized ? e : HttpError.unauthorized(AccessTokens.UNAUTHORIZED);
        }
        Optional<String> token = body.string("accessToken");
        if (!headerAuthorized && !token.map(t -> AccessTokens.accepts(state, t)).orElse(false)) {
            throw HttpError.unauthorized(AccessTokens.UNAUTHORIZED);
        }
        AgentState.InitUpdate update = new AgentState.InitUpdate(
                body.stringMap("envVars").orElse(null),
                token.orElse(null),
                knownUser(body.string("defaultUser")),
                body.string("defaultWorkdir").orElse(null));
        Optional<Instant> timestamp = body.string("timestamp").map(InitRoute::parseTimestamp);
        Optional<byte[]> seed = body.string("randomSeed").map(InitRoute::parseSeed);
        timestamp.ifPresent(this::adjustClock);
        seed.ifPresent(this::reseed);
        state.apply(update);
        exchange.getResponseHeaders().set("X-Envd-Version", EnvdVersion.VALUE);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        Replies.empty(exchange, 204);
    }

    private String knownUser(Optional<String> name) {
        name.filter(n -> !n.isEmpty()).ifPresent(n -> {
            if (users.find(n).isEmpty()) {
                throw HttpError.badRequest("default user '" + n + "' does not exist in the sandbox");
            }
        });
        return name.orElse(null);
    }

    private static Instant parseTimestamp(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw HttpError.badRequest("timestamp '" + text + "' is not an RFC 3339 date-time");
        }
    }

    private static byte[] parseSeed(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("randomSeed is not base64: " + e.getMessage());
        }
    }

    /** Unlike the clock, fatal: a clone that cannot be re-keyed would hand out its siblings' random bytes. */
    private void reseed(byte[] seed) {
        try {
            entropy.reseed(seed);
        } catch (IOException | RuntimeException e) {
            throw new HttpError(500, "re-seeding the random generator failed: " + e.getMessage(), e);
        }
    }

    /** A failure to set the clock is logged, not fatal: the sandbox still works with a skewed clock. */
    private void adjustClock(Instant hostTime) {
        Duration skew = Duration.between(clock.instant(), hostTime).abs();
        if (skew.compareTo(CLOCK_TOLERANCE) <= 0) {
            return;
        }
        try {
            systemClock.set(hostTime);
            // Debug, not info: every clone and every resume sets the clock, so the line says nothing, and a restored
            // guest under TCG pays for any work on this path before its create can return.
            log.debug("set the system clock to {} (it was off by {})", hostTime, skew);
        } catch (IOException | RuntimeException e) {
            log.warn("could not set the system clock to {}", hostTime, e);
        }
    }
}
