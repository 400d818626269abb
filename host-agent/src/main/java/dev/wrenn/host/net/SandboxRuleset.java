package dev.wrenn.host.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The nftables rules of one slot, as text for {@code nft -f}. Pure, so the rules can be read in unit tests.
 *
 * <p>Inside the namespace: the DNAT from the slot's host IP to the guest, masquerading both ways, and a forward filter
 * over every packet the guest sends in a connection it started (not only the first: a rule change then cuts open
 * connections to a newly denied address at their next packet, with a TCP reset to the guest, without a conntrack
 * flush that would also drop the host's own connections to the guest). The order: {@code never} (this host, its
 * sandboxes, loopback, link-local) refuses; {@code opened} (the operator's {@code --egress-allow-cidr}) skips the
 * next test; {@code special} (private and special-purpose ranges) refuses; then the sandbox's own {@code
 * sandbox_policy}: {@code allow_out} accepts, {@code deny_out} refuses, then its default. A sandbox's update
 * replaces {@code sandbox_policy} and its two sets in one nft transaction ({@link #policyUpdate}).
 */
public final class SandboxRuleset {
    /** The table inside each sandbox namespace. */
    public static final String NETNS_TABLE = "wrenn";
    /** Host-side tables carry this prefix and the slot index, so the sweeper finds them. */
    public static final String HOST_TABLE_PREFIX = "wrenn-egress-";

    private SandboxRuleset() {}

    public static String netns(Slot slot, List<Ipv4> hostAddresses, NetworkConfig config, EgressPolicy policy) {
        List<Cidr> never = new ArrayList<>(AlwaysBlocked.NEVER);
        hostAddresses.forEach(a -> never.add(new Cidr(a, 32)));
        return """
                table ip %1$s {
                  set never { type ipv4_addr; flags interval; auto-merge; %2$s}
                  set opened { type ipv4_addr; flags interval; auto-merge; %3$s}
                  set special { type ipv4_addr; flags interval; auto-merge; %4$s}
                  set allow_out { type ipv4_addr; flags interval; auto-merge; }
                  set deny_out { type ipv4_addr; flags interval; auto-merge; }
                  chain dnat_in {
                    type nat hook prerouting priority dstnat;
                    iifname "%5$s" ip daddr %6$s dnat to %7$s
                  }
                  chain snat_out {
                    type nat hook postrouting priority srcnat;
                    oifname "%8$s" masquerade
                    oifname "%5$s" masquerade
                  }
                  chain refuse {
                    meta l4proto tcp reject with tcp reset
                    reject with icmp type admin-prohibited
                  }
                  chain sandbox_policy {
                  }
                  chain guest_out {
                    type filter hook forward priority filter; policy accept;
                    iifname != "%8$s" accept
                    ct direction reply accept
                    ip daddr @never goto refuse
                    ip daddr @opened goto sandbox_policy
                    ip daddr @special goto refuse
                    goto sandbox_policy
                  }
                  chain guest_in {
                    type filter hook input priority filter; policy accept;
                    iifname "%8$s" ct direction original drop
                  }
                }
                """.formatted(
                                NETNS_TABLE,
                                elements(never),
                                elements(config.openedCidrs()),
                                elements(AlwaysBlocked.SPECIAL),
                                Slot.PEER_NAME,
                                slot.hostIp(),
                                Slot.GUEST_IP,
                                Slot.TAP_NAME)
                + policyUpdate(policy, config.egress());
    }

    /** Replaces the sandbox's own rules in one transaction: its sets and the policy chain's last verdict. */
    public static String policyUpdate(EgressPolicy policy, boolean operatorDefault) {
        StringBuilder out = new StringBuilder();
        out.append("flush set ip ").append(NETNS_TABLE).append(" allow_out\n");
        out.append("flush set ip ").append(NETNS_TABLE).append(" deny_out\n");
        out.append("flush chain ip ").append(NETNS_TABLE).append(" sandbox_policy\n");
        addElements(out, "allow_out", policy.allowOut());
        addElements(out, "deny_out", policy.denyOut());
        String chain = "add rule ip " + NETNS_TABLE + " sandbox_policy ";
        out.append(chain).append("ip daddr @allow_out accept\n");
        out.append(chain).append("ip daddr @deny_out goto refuse\n");
        out.append(chain)
                .append(policy.defaultAllows(operatorDefault) ? "accept" : "goto refuse")
                .append('\n');
        return out.toString();
    }

    public static String hostTable(Slot slot) {
        return HOST_TABLE_PREFIX + slot.index();
    }

    /**
     * Host side: the slot's traffic may leave by any device but another sandbox's veth, masqueraded to the host's
     * address on that device. What the guest may reach is decided inside its namespace; this is the way out.
     */
    public static String hostEgress(Slot slot) {
        return """
                table ip %1$s {
                  chain egress_forward {
                    type filter hook forward priority filter; policy accept;
                    iifname "%2$s" oifname "%3$s*" drop
                    iifname "%2$s" accept
                    oifname "%2$s" ct state established,related accept
                  }
                  chain egress_nat {
                    type nat hook postrouting priority srcnat;
                    ip saddr %4$s oifname != "%3$s*" masquerade
                  }
                }
                """.formatted(hostTable(slot), slot.veth(), Slot.VETH_PREFIX, slot.peerIp());
    }

    private static void addElements(StringBuilder out, String set, List<Cidr> cidrs) {
        if (!cidrs.isEmpty()) {
            out.append("add element ip ")
                    .append(NETNS_TABLE)
                    .append(' ')
                    .append(set)
                    .append(" { ")
                    .append(join(cidrs))
                    .append(" }\n");
        }
    }

    private static String elements(Collection<Cidr> cidrs) {
        return cidrs.isEmpty() ? "" : "elements = { " + join(cidrs) + " }; ";
    }

    private static String join(Collection<Cidr> cidrs) {
        return new LinkedHashSet<>(cidrs).stream().map(Cidr::toString).collect(Collectors.joining(", "));
    }
}
