package dev.wrenn.host.net;

import java.util.List;

/**
 * How sandbox networks are built.
 *
 * @param egress the operator's default for sandboxes that do not say whether they may reach the internet
 *     ({@code --egress on|off}); a sandbox's own {@code allow_internet_access} and allow list override it
 * @param openedCidrs special-purpose or private ranges the operator lets sandboxes reach
 *     ({@code --egress-allow-cidr}); {@link AlwaysBlocked#NEVER} and the host's own addresses stay blocked
 */
public record NetworkConfig(boolean egress, List<Cidr> openedCidrs) {
    public NetworkConfig {
        openedCidrs = List.copyOf(openedCidrs);
    }

    public NetworkConfig(boolean egress) {
        this(egress, List.of());
    }

    /** Sandboxes reach nothing unless their own rules say so. */
    public static NetworkConfig isolated() {
        return new NetworkConfig(false);
    }
}
