package dev.wrenn.host.guest;

import dev.wrenn.host.net.Ipv4;
import java.time.Duration;

/** Waits until a booted guest can take requests; a create returns only after this. */
@FunctionalInterface
public interface GuestReadiness {
    /** Returns when the guest at {@code hostIp} is ready; throws naming the address when it is not in time. */
    void await(Ipv4 hostIp, Duration timeout);
}
