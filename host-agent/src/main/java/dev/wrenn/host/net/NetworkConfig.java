package dev.wrenn.host.net;

/**
 * How sandbox networks are built.
 *
 * @param egress whether guests may open connections to the outside (masqueraded through the host's default
 *     route); off by default, so a sandbox is reachable from the host but reaches nothing
 */
public record NetworkConfig(boolean egress) {
    public static NetworkConfig isolated() {
        return new NetworkConfig(false);
    }
}
