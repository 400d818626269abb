package dev.wrenn.host.guest;

import java.time.Duration;
import java.util.Map;

/** Prepares a guest whose agent answers /health for its first request: token, env vars, user, clock, randomness. */
@FunctionalInterface
public interface GuestInitializer {
    /** For guests without Wrenn's guest agent (the busybox test guest): nothing to initialize. */
    GuestInitializer NONE = (guest, envVars, timeout) -> {};

    /** Throws a {@link dev.wrenn.host.error.HostAgentException} naming the sandbox when the guest refuses. */
    void initialize(GuestEndpoint guest, Map<String, String> envVars, Duration timeout);

    /**
     * Re-initializes a guest restored from a snapshot: a resumed sandbox (its own token again) or a clone (a new
     * token). {@code trustedToken} is the token the restored guest agent still holds (empty when it never had one),
     * which authorizes the call; the guest gets {@code guest.accessToken()}, the host's clock and fresh randomness.
     * Initializers of guests without tokens need not tell the two apart.
     */
    default void reinitialize(GuestEndpoint guest, String trustedToken, Map<String, String> envVars, Duration timeout) {
        initialize(guest, envVars, timeout);
    }

    /**
     * Runs the guest agent's usual first requests once (a process, file transfers, a stat and a listing), so that a
     * template snapshotted right after does not make every clone pay for loading and interpreting that code in its
     * guest for the first time.
     */
    default void warmUp(GuestEndpoint guest, Duration timeout) {}
}
