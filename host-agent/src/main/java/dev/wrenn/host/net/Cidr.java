package dev.wrenn.host.net;

import java.util.regex.Pattern;

/**
 * An IPv4 range: a bare address is its /32. Host bits are cleared, so {@code 10.1.2.3/8} is {@code 10.0.0.0/8} (nft
 * refuses an interval element with host bits set; the meaning is the same).
 */
public record Cidr(Ipv4 base, int prefix) {
    private static final Pattern SHAPE = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/(\\d{1,2}))?");

    public static final Cidr ALL = new Cidr(new Ipv4(0), 0);

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length must be in 0..32, got " + prefix);
        }
        base = new Ipv4(base.value() & mask(prefix));
    }

    /** Parses {@code a.b.c.d} or {@code a.b.c.d/n}; the message of the exception says what is wrong. */
    public static Cidr parse(String text) {
        var m = SHAPE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("`" + text + "` is not an IPv4 address or CIDR");
        }
        Ipv4 address;
        try {
            address = Ipv4.parse(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + text + "` is not an IPv4 address or CIDR");
        }
        int prefix = m.group(2) == null ? 32 : Integer.parseInt(m.group(2));
        if (prefix > 32) {
            throw new IllegalArgumentException("`" + text + "` has a prefix length over 32");
        }
        return new Cidr(address, prefix);
    }

    public boolean contains(Ipv4 address) {
        return (address.value() & mask(prefix)) == base.value();
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        return prefix == 32 ? base.toString() : base + "/" + prefix;
    }
}
