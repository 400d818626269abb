package dev.wrenn.host.net;

/**
 * A sandbox's network slot and every name and address derived from it. Names start with {@code wrenn-} so the
 * sweeper can find leftovers after a crash.
 */
public record Slot(int index) {
    public static final int MAX_INDEX = 32_767; // 2·index + 1 must stay inside 10.12.0.0/16
    public static final String NETNS_PREFIX = "wrenn-ns-";
    public static final String VETH_PREFIX = "wrenn-v";
    /** Inside the namespace every slot looks the same, so a snapshot restores into any slot. */
    public static final String PEER_NAME = "eth0";

    public static final String TAP_NAME = "tap0";
    public static final Ipv4 TAP_IP = Ipv4.parse("169.254.0.22");
    public static final Ipv4 GUEST_IP = Ipv4.parse("169.254.0.21");
    public static final int TAP_PREFIX = 30;
    private static final Ipv4 VETH_BASE = Ipv4.parse("10.12.0.0");
    private static final Ipv4 HOST_IP_BASE = Ipv4.parse("10.11.0.0");

    public Slot {
        if (index < 1 || index > MAX_INDEX) {
            throw new IllegalArgumentException("slot index must be in 1.." + MAX_INDEX + ", got " + index);
        }
    }

    public String netns() {
        return NETNS_PREFIX + index;
    }

    public String veth() {
        return VETH_PREFIX + index;
    }

    /** The host end of the veth pair (/31). */
    public Ipv4 vethIp() {
        return VETH_BASE.plus(2L * index);
    }

    /** The namespace end of the veth pair (/31). */
    public Ipv4 peerIp() {
        return VETH_BASE.plus(2L * index + 1);
    }

    /** The address at which the host reaches this sandbox's guest (routed to the namespace, DNATed to the guest). */
    public Ipv4 hostIp() {
        return HOST_IP_BASE.plus(index);
    }
}
