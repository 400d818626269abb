package dev.wrenn.host.guest;

import java.time.Instant;
import java.util.Map;

/** The body of the guest agent's {@code POST /init}: global env vars, access token, default user and the clock. */
public record EnvdInit(
        Map<String, String> envVars, String accessToken, String defaultUser, String defaultWorkdir, Instant timestamp) {
    public EnvdInit {
        envVars = Map.copyOf(envVars);
    }
}
