package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.GuestEndpoint;
import dev.wrenn.host.guest.GuestInitializer;
import dev.wrenn.host.guest.GuestReadiness;
import dev.wrenn.host.net.Ipv4;
import java.time.Duration;
import java.util.Map;

/**
 * Readiness of a restored guest (a clone or a resumed sandbox) by its /init itself, retried while the guest agent is
 * unreachable: the guest was snapshotted while serving, so it answers as soon as it runs, and one request instead
 * of a /health followed by an /init saves a round trip through code paths that a fresh TCG translation cache makes
 * slow. A guest that answers but refuses fails at once.
 */
record RestoredGuestInit(
        GuestInitializer initializer,
        String sandboxId,
        String accessToken,
        String trustedToken,
        Map<String, String> envVars)
        implements GuestReadiness {
    private static final Duration RETRY = Duration.ofMillis(10);

    @Override
    public void await(Ipv4 hostIp, Duration timeout) {
        GuestEndpoint guest = new GuestEndpoint(sandboxId, hostIp, accessToken);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
            try {
                initializer.reinitialize(guest, trustedToken, envVars, remaining);
                return;
            } catch (HostAgentException e) {
                if (e.code() != ErrorCode.UNAVAILABLE || remaining.compareTo(RETRY) <= 0) {
                    throw e;
                }
            }
            sleep();
        }
    }

    private void sleep() {
        try {
            Thread.sleep(RETRY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostAgentException(ErrorCode.UNAVAILABLE, "interrupted while initializing sandbox " + sandboxId);
        }
    }
}
