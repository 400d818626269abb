package dev.wrenn.host.guest;

import dev.wrenn.host.net.Ipv4;
import java.util.Objects;

/**
 * Where and how to reach one sandbox's guest agent: the host-side address that is NATed to it and the access
 * token the host agent gave it at /init (sent as {@code X-Access-Token}; empty before /init).
 */
public record GuestEndpoint(String sandboxId, Ipv4 hostIp, String accessToken) {
    public GuestEndpoint {
        Objects.requireNonNull(sandboxId, "sandboxId");
        Objects.requireNonNull(hostIp, "hostIp");
        accessToken = accessToken == null ? "" : accessToken;
    }

    /** Keeps the token out of logs and exception messages. */
    @Override
    public String toString() {
        return "GuestEndpoint[" + sandboxId + " at " + hostIp + "]";
    }
}
