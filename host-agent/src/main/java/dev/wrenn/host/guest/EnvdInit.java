package dev.wrenn.host.guest;

import java.time.Instant;
import java.util.Map;

/**
 * The body of the guest agent's {@code POST /init}: global env vars, access token, default user, the clock, and
 * fresh random bytes that re-key the guest kernel's generator (Wrenn's {@code randomSeed} field).
 */
public record EnvdInit(
        Map<String, String> envVars,
        String accessToken,
        String defaultUser,
        String defaultWorkdir,
        Instant timestamp,
        byte[] randomSeed) {
    public EnvdInit {
        envVars = Map.copyOf(envVars);
        randomSeed = randomSeed == null ? new byte[0] : randomSeed.clone();
    }

    /** Keeps the token out of logs. */
    @Override
    public String toString() {
        return "EnvdInit[" + envVars.keySet() + ", user " + defaultUser + ", at " + timestamp + "]";
    }
}
