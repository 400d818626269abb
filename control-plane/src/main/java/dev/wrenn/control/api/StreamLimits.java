package dev.wrenn.control.api;

import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.error.RetryLaterException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the long-lived connections (WebSockets: exec streams, terminals) one credential and one team hold open at
 * once, so a leaked key or a runaway client cannot pin the server's threads and the host agents' streams. A
 * connection takes a {@link Lease} once its caller is known and gives it back when it ends, however it ends.
 * Counted per control plane replica.
 */
public final class StreamLimits {
    public static final int DEFAULT_PER_CREDENTIAL = 20;
    public static final int DEFAULT_PER_TEAM = 100;
    static final String PER_CREDENTIAL_ENV = "WRENN_MAX_STREAMS_PER_KEY";
    static final String PER_TEAM_ENV = "WRENN_MAX_STREAMS_PER_TEAM";
    private static final long RETRY_AFTER_SECONDS = 5;

    private final int perCredential;
    private final int perTeam;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    public StreamLimits(int perCredential, int perTeam) {
        this.perCredential = perCredential;
        this.perTeam = perTeam;
    }

    /** From {@value #PER_CREDENTIAL_ENV} and {@value #PER_TEAM_ENV}, else the defaults. */
    public static StreamLimits fromEnv(Map<String, String> env) {
        return new StreamLimits(
                positive(env, PER_CREDENTIAL_ENV, DEFAULT_PER_CREDENTIAL),
                positive(env, PER_TEAM_ENV, DEFAULT_PER_TEAM));
    }

    /** One open connection's share; {@link #close} gives it back once, later calls do nothing. */
    public final class Lease implements AutoCloseable {
        private final String credential;
        private final String team;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(String credential, String team) {
            this.credential = credential;
            this.team = team;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                decrement(credential);
                decrement(team);
            }
        }
    }

    /** @throws RetryLaterException 429 if the caller is at a limit, without taking anything */
    public void check(Principal caller) {
        refuseIfFull(credentialKey(caller), perCredential, "this " + credentialName(caller));
        refuseIfFull(teamKey(caller), perTeam, "this team");
    }

    /** Takes a share for one connection. @throws RetryLaterException 429 if the caller is at a limit */
    public synchronized Lease acquire(Principal caller) {
        check(caller);
        open.merge(credentialKey(caller), 1, Integer::sum);
        open.merge(teamKey(caller), 1, Integer::sum);
        return new Lease(credentialKey(caller), teamKey(caller));
    }

    private synchronized void decrement(String key) {
        open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    private void refuseIfFull(String key, int limit, String whose) {
        if (open.getOrDefault(key, 0) >= limit) {
            throw new RetryLaterException(
                    ErrorCode.RATE_LIMITED,
                    "too many open streams for " + whose + " (at most " + limit + "); close one and retry",
                    RETRY_AFTER_SECONDS);
        }
    }

    private static String credentialKey(Principal caller) {
        return caller.via() == Principal.Via.API_KEY ? "key:" + caller.keyId() : "user:" + caller.userId();
    }

    private static String credentialName(Principal caller) {
        return caller.via() == Principal.Via.API_KEY ? "API key" : "user";
    }

    private static String teamKey(Principal caller) {
        return "team:" + caller.teamId();
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below with the variable's name
        }
        throw new IllegalArgumentException(name + " must be a positive whole number (got '" + value + "')");
    }
}
