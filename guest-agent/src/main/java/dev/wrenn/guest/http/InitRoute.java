package dev.wrenn.guest.http;

import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.guest.EnvdVersion;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.UserDirectory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /init (sent by the host, not by SDKs): global env vars, access token, default user and workdir, and the
 * host's clock. Unknown fields are ignored. Once a token is set, a later /init must prove it knows the token,
 * either in X-Access-Token or by sending the same accessToken again (a resumed VM is re-initialized with the same
 * token); otherwise anyone in the sandbox could replace the token.
 */
final class InitRoute implements Route {
    private static final Logger log = LoggerFactory.getLogger(InitRoute.class);
    private static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(1);

    private final AgentState state;
    private final UserDirectory users;
    private final SystemClock systemClock;
    private final InstantSource clock;

    InitRoute(AgentState state, UserDirectory users, SystemClock systemClock, InstantSource clock) {
        this.state = state;
        this.users = users;
        this.systemClock = systemClock;
        this.clock = clock;
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
        timestamp.ifPresent(this::adjustClock);
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

    /** A failure to set the clock is logged, not fatal: the sandbox still works with a skewed clock. */
    private void adjustClock(Instant hostTime) {
        Duration skew = Duration.between(clock.instant(), hostTime).abs();
        if (skew.compareTo(CLOCK_TOLERANCE) <= 0) {
            return;
        }
        try {
            systemClock.set(hostTime);
            log.info("set the system clock to {} (it was off by {})", hostTime, skew);
        } catch (IOException | RuntimeException e) {
            log.warn("could not set the system clock to {}", hostTime, e);
        }
    }
}
