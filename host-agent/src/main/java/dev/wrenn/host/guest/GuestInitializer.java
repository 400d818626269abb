package dev.wrenn.host.guest;

import java.time.Duration;
import java.util.Map;

/** Prepares a guest whose agent answers /health for its first request: token, env vars, user, clock. */
@FunctionalInterface
public interface GuestInitializer {
    /** For guests without Wrenn's guest agent (the busybox test guest): nothing to initialize. */
    GuestInitializer NONE = (guest, envVars, timeout) -> {};

    /** Throws a {@link dev.wrenn.host.error.HostAgentException} naming the sandbox when the guest refuses. */
    void initialize(GuestEndpoint guest, Map<String, String> envVars, Duration timeout);
}
