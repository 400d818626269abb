package dev.wrenn.host.net;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and removes one sandbox's network: namespace {@code wrenn-ns-<i>}, veth pair {@code wrenn-v<i>} ↔ eth0
 * (10.12.x /31), tap0 (169.254.0.22/30) for the guest at 169.254.0.21, and the host route for the slot's host IP,
 * DNATed to the guest inside the namespace.
 */
public final class SandboxNetwork {
    private static final Logger log = LoggerFactory.getLogger(SandboxNetwork.class);

    private final Ip ip;
    private final Nft nft;
    private final NetworkConfig config;

    public SandboxNetwork(Ip ip, Nft nft, NetworkConfig config) {
        this.ip = ip;
        this.nft = nft;
        this.config = config;
    }

    /** Builds the slot's network for a sandbox that said nothing about egress. */
    public void setUp(Slot slot) {
        setUp(slot, EgressPolicy.UNSET);
    }

    /** Builds the slot's network with the sandbox's egress rules; on failure removes what was built and rethrows. */
    public void setUp(Slot slot, EgressPolicy policy) {
        try {
            build(slot, policy);
        } catch (RuntimeException e) {
            try {
                tearDown(slot);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw new HostAgentException(
                    ErrorCode.INTERNAL, "setting up network of slot " + slot.index() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes everything {@link #setUp} may have created, tolerating pieces that are already gone. Deleting the
     * namespace removes its tap, its veth end and its nft table; deleting the host veth removes the host route.
     */
    public void tearDown(Slot slot) {
        List<String> errors = new ArrayList<>();
        attempt(errors, () -> deleteHostTableIfPresent(slot));
        attempt(errors, () -> {
            if (ip.listLinks(null).contains(slot.veth())) {
                ip.deleteLink(null, slot.veth());
            }
        });
        attempt(errors, () -> {
            if (ip.listNetns().contains(slot.netns())) {
                ip.deleteNetns(slot.netns());
            }
        });
        if (!errors.isEmpty()) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "tearing down network of slot " + slot.index() + ": " + String.join("; ", errors));
        }
    }

    /**
     * Replaces the egress rules of a slot whose network is up, in one nft transaction: from the next packet on, the
     * guest's connections follow the new rules (a TCP connection to a newly denied address gets a reset).
     */
    public void update(Slot slot, EgressPolicy policy) {
        nft.apply(slot.netns(), SandboxRuleset.policyUpdate(policy, config.egress()));
    }

    private void build(Slot slot, EgressPolicy policy) {
        String ns = slot.netns();
        // Two ip processes, not a dozen: the host side (namespace, veth pair, host end, route to the guest)...
        ip.batch(null)
                .addNetns(ns)
                .addVethPair(slot.veth(), Slot.PEER_NAME, ns)
                .addAddress(slot.veth(), slot.vethIp().cidr(31))
                .setUp(slot.veth())
                .addRoute(slot.hostIp().cidr(32), slot.peerIp(), slot.veth())
                .run();
        // ...and the namespace's side: its veth end, loopback, the guest's TAP and the way out.
        ip.batch(ns)
                .addAddress(Slot.PEER_NAME, slot.peerIp().cidr(31))
                .setUp(Slot.PEER_NAME)
                .setUp("lo")
                .addTap(Slot.TAP_NAME)
                .addAddress(Slot.TAP_NAME, Slot.TAP_IP.cidr(Slot.TAP_PREFIX))
                .setUp(Slot.TAP_NAME)
                .addRoute("default", slot.vethIp(), Slot.PEER_NAME)
                .run();
        ip.setSysctl(ns, "net.ipv4.ip_forward", "1");
        nft.apply(ns, SandboxRuleset.netns(slot, ip.addresses(null), config, policy));
        // The way out is always built: whether the guest may use it is decided by the rules just loaded, which a
        // sandbox's update may change while it runs.
        nft.apply(null, SandboxRuleset.hostEgress(slot));
        // The host agent sets this at start; set again here because it is machine-wide and anything may reset it.
        ip.setSysctl(null, "net.ipv4.ip_forward", "1");
        log.debug("network of slot {} up: host IP {}", slot.index(), slot.hostIp());
    }

    private void deleteHostTableIfPresent(Slot slot) {
        String table = SandboxRuleset.hostTable(slot);
        if (nft.listTables(null).contains("ip " + table)) {
            nft.deleteTable(null, "ip", table);
        }
    }

    private static void attempt(List<String> errors, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
        }
    }
}
