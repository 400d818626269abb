package dev.wrenn.pki;

import java.util.regex.Pattern;

/** The names a certificate may carry: an IPv4 or IPv6 literal, or a DNS name; nothing that could smuggle syntax. */
public final class HostNames {
    private static final Pattern DNS = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}");

    private HostNames() {}

    public static boolean isIpAddress(String name) {
        return IPV4.matcher(name).matches()
                || (name.contains(":") && IPV6.matcher(name).matches());
    }

    public static void requireValid(String name) {
        if (name == null || !(isIpAddress(name) || DNS.matcher(name).matches())) {
            throw new PkiException("`" + name + "` is not an IP address or a DNS name");
        }
    }
}
