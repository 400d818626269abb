package dev.wrenn.host.net;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one sandbox may reach, with E2B's meaning: an address in {@code allowOut} is reachable whatever
 * {@code denyOut} says; one in {@code denyOut} is not; anything else follows {@code allowInternet}, or the
 * operator's default ({@code --egress}) when the sandbox did not say. {@code allowInternet == FALSE} is E2B's
 * "denyOut = 0.0.0.0/0". None of it reaches past {@link AlwaysBlocked}.
 *
 * @param allowInternet null when the sandbox did not say
 */
public record EgressPolicy(Boolean allowInternet, List<Cidr> allowOut, List<Cidr> denyOut) {
    /** Caps the rule count: each entry is one set element in the sandbox's nft table. */
    public static final int MAX_ENTRIES = 1000;

    public EgressPolicy {
        allowOut = List.copyOf(allowOut);
        denyOut = List.copyOf(denyOut);
        if (allowOut.size() + denyOut.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("at most " + MAX_ENTRIES + " allowOut and denyOut entries in all");
        }
    }

    /** A sandbox that said nothing: the operator's default decides. */
    public static final EgressPolicy UNSET = new EgressPolicy(null, List.of(), List.of());
    /** Reaches nothing: the host agent's own base-template VMs. */
    public static final EgressPolicy DENY_ALL = new EgressPolicy(false, List.of(), List.of());

    /** One line for a snapshot's attributes: {@code internet=<true|false|unset>;allow=<a,b>;deny=<c>}. */
    public String encode() {
        return "internet=" + (allowInternet == null ? "unset" : allowInternet)
                + ";allow=" + join(allowOut)
                + ";deny=" + join(denyOut);
    }

    /** The inverse of {@link #encode()}. */
    public static EgressPolicy decode(String text) {
        Map<String, String> parts = new HashMap<>();
        for (String part : text.split(";", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("malformed egress rules `" + text + "`");
            }
            parts.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String internet = parts.getOrDefault("internet", "unset");
        return new EgressPolicy(
                internet.equals("unset") ? null : Boolean.valueOf(internet),
                split(parts.getOrDefault("allow", "")),
                split(parts.getOrDefault("deny", "")));
    }

    private static String join(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::toString).collect(Collectors.joining(","));
    }

    private static List<Cidr> split(String text) {
        return text.isEmpty()
                ? List.of()
                : Arrays.stream(text.split(",")).map(Cidr::parse).toList();
    }

    /** Whether an address that neither list names is reachable. */
    public boolean defaultAllows(boolean operatorDefault) {
        return allowInternet == null ? operatorDefault : allowInternet;
    }
}
