package dev.wrenn.control.sandboxes;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.protocol.hostagent.v1.EgressRules;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A sandbox's egress rules, with E2B's meaning: an address in {@code allowOut} is reachable whatever {@code denyOut}
 * says; one in {@code denyOut} is not; anything else follows {@code allowInternetAccess}, or the operator's default
 * ({@code --egress}) when null. {@code allowInternetAccess == false} is E2B's "denyOut = 0.0.0.0/0". Entries are
 * IPv4 addresses and CIDRs; the host's always-blocked ranges apply whatever these say.
 */
public record NetworkRules(Boolean allowInternetAccess, List<String> allowOut, List<String> denyOut) {
    /** The host agent's cap (one nft set element each). */
    public static final int MAX_ENTRIES = 1000;

    public static final NetworkRules UNSET = new NetworkRules(null, List.of(), List.of());

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]");

    public NetworkRules {
        allowOut = List.copyOf(allowOut);
        denyOut = List.copyOf(denyOut);
    }

    /**
     * Checks every entry; a 400 names the field and the entry ({@code allowField}/{@code denyField} are the names the
     * caller's API spells, e.g. {@code network.allowOut}).
     */
    public static NetworkRules of(
            Boolean allowInternetAccess,
            List<String> allowOut,
            List<String> denyOut,
            String allowField,
            String denyField) {
        List<String> allow = checked(allowOut, allowField, true);
        List<String> deny = checked(denyOut, denyField, false);
        if (allow.size() + deny.size() > MAX_ENTRIES) {
            throw ApiException.invalid(
                    allowField + " and " + denyField + " may hold at most " + MAX_ENTRIES + " entries in all");
        }
        return new NetworkRules(allowInternetAccess, allow, deny);
    }

    public boolean isUnset() {
        return equals(UNSET);
    }

    public EgressRules toProto() {
        EgressRules.Builder rules =
                EgressRules.newBuilder().addAllAllowOut(allowOut).addAllDenyOut(denyOut);
        if (allowInternetAccess != null) {
            rules.setAllowInternet(allowInternetAccess);
        }
        return rules.build();
    }

    private static List<String> checked(List<String> entries, String field, boolean domainsMeaningful) {
        if (entries == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(checkedEntry(entries.get(i), field + "[" + i + "]", domainsMeaningful));
        }
        return out;
    }

    private static String checkedEntry(String raw, String field, boolean domainsMeaningful) {
        if (raw == null) {
            throw ApiException.invalid(field + " must be an IPv4 address or CIDR, not null");
        }
        String entry = raw.strip();
        if (entry.length() > 253) {
            throw ApiException.invalid(field + " is longer than 253 characters");
        }
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        if (IPV4.matcher(address).matches()) {
            if (slash >= 0 && !entry.substring(slash + 1).matches("[12]?\\d|3[0-2]")) {
                throw ApiException.invalid(
                        field + " `" + entry + "` is not a valid CIDR: the prefix length must be 0 to 32");
            }
            return entry;
        }
        if (entry.contains(":")) {
            throw ApiException.invalid(field + " `" + entry + "`: IPv6 is not supported (sandboxes have no IPv6)");
        }
        if (DOMAIN.matcher(entry).matches()) {
            throw ApiException.invalid(
                    domainsMeaningful
                            ? field + " `" + entry + "`: domain names are not supported by this server yet; use IPv4"
                                    + " addresses or CIDRs"
                            : field + " `" + entry
                                    + "`: domain names are not allowed here, only IPv4 addresses and CIDRs");
        }
        throw ApiException.invalid(field + " `" + entry + "` is not an IPv4 address, CIDR or domain name");
    }
}
