package dev.wrenn.host.net;

import java.util.List;

/**
 * Destinations no sandbox reaches whatever its own rules say. {@link #NEVER} cannot be opened at all (this host's
 * sandboxes and its links to them, loopback, link-local with the cloud metadata address); {@link #SPECIAL} are the
 * private and special-purpose ranges, which the operator may open one by one with {@code --egress-allow-cidr}. The
 * host's own addresses are added per host (they are in neither list because they are only known at run time).
 */
public final class AlwaysBlocked {
    public static final List<Cidr> NEVER = cidrs(
            "127.0.0.0/8", // loopback
            "169.254.0.0/16", // link-local, with 169.254.169.254 (cloud metadata) and the guests' own link
            "10.11.0.0/16", // the host's addresses of every sandbox (other sandboxes)
            "10.12.0.0/16"); // the veth links of every sandbox

    public static final List<Cidr> SPECIAL = cidrs(
            "0.0.0.0/8", // "this network"
            "10.0.0.0/8", // RFC 1918
            "100.64.0.0/10", // CGNAT (RFC 6598)
            "172.16.0.0/12", // RFC 1918
            "192.0.0.0/24", // IETF protocol assignments
            "192.0.2.0/24", // documentation (TEST-NET-1)
            "192.88.99.0/24", // 6to4 relay anycast
            "192.168.0.0/16", // RFC 1918
            "198.18.0.0/15", // benchmarking
            "198.51.100.0/24", // documentation (TEST-NET-2)
            "203.0.113.0/24", // documentation (TEST-NET-3)
            "224.0.0.0/4", // multicast
            "240.0.0.0/4"); // reserved, and the limited broadcast address

    private AlwaysBlocked() {}

    private static List<Cidr> cidrs(String... texts) {
        return java.util.Arrays.stream(texts).map(Cidr::parse).toList();
    }
}
