package dev.wrenn.host.net;

import java.util.List;
import java.util.stream.Collectors;

/** The nftables rules of one slot, as text for {@code nft -f}. Pure, so the rules can be read in unit tests. */
public final class SandboxRuleset {
    /** The table inside each sandbox namespace. */
    public static final String NETNS_TABLE = "wrenn";
    /** Host-side tables carry this prefix and the slot index, so the sweeper finds them. */
    public static final String HOST_TABLE_PREFIX = "wrenn-egress-";

    private static final String METADATA_SERVICE = "169.254.169.254";

    private SandboxRuleset() {}

    /**
     * DNAT from the slot's host IP to the guest, and a forward filter on what the guest may start: nothing when
     * isolated; anything but the host itself, the other sandboxes and the metadata address with egress.
     */
    public static String netns(Slot slot, boolean egress, List<Ipv4> hostAddresses) {
        String tap = Slot.TAP_NAME;
        String guestOut = egress
                ? "iifname \"%s\" ip daddr { %s } drop\n    iifname \"%s\" accept"
                        .formatted(tap, blocked(hostAddresses), tap)
                : "iifname \"%s\" drop".formatted(tap);
        String egressNat = egress ? "\n    oifname \"%s\" masquerade".formatted(Slot.PEER_NAME) : "";
        return """
                table ip %1$s {
                  chain dnat_in {
                    type nat hook prerouting priority dstnat;
                    iifname "%2$s" ip daddr %3$s dnat to %4$s
                  }
                  chain snat_out {
                    type nat hook postrouting priority srcnat;
                    oifname "%5$s" masquerade%6$s
                  }
                  chain guest_out {
                    type filter hook forward priority filter; policy accept;
                    ct state established,related accept
                    %7$s
                  }
                }
                """.formatted(NETNS_TABLE, Slot.PEER_NAME, slot.hostIp(), Slot.GUEST_IP, tap, egressNat, guestOut);
    }

    public static String hostTable(Slot slot) {
        return HOST_TABLE_PREFIX + slot.index();
    }

    /** Host side of egress: let the slot's veth forward out of the default device, masqueraded. */
    public static String hostEgress(Slot slot, String defaultDevice) {
        return """
                table ip %1$s {
                  chain egress_forward {
                    type filter hook forward priority filter; policy accept;
                    iifname "%2$s" oifname "%3$s" accept
                    iifname "%3$s" oifname "%2$s" ct state established,related accept
                  }
                  chain egress_nat {
                    type nat hook postrouting priority srcnat;
                    ip saddr %4$s oifname "%3$s" masquerade
                  }
                }
                """.formatted(hostTable(slot), slot.veth(), defaultDevice, slot.peerIp());
    }

    private static String blocked(List<Ipv4> hostAddresses) {
        String host = hostAddresses.stream().map(Ipv4::toString).collect(Collectors.joining(", "));
        return (host.isEmpty() ? "" : host + ", ") + "10.11.0.0/16, 10.12.0.0/16, " + METADATA_SERVICE;
    }
}
