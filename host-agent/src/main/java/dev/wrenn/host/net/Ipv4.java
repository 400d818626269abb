package dev.wrenn.host.net;

/** An IPv4 address as an unsigned 32-bit value, so slot addresses are computed with carry between octets. */
public record Ipv4(long value) {
    public Ipv4 {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an IPv4 address: " + value);
        }
    }

    public static Ipv4 parse(String dotted) {
        String[] octets = dotted.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        long value = 0;
        for (String octet : octets) {
            int part = Integer.parseInt(octet);
            if (part < 0 || part > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            value = (value << 8) | part;
        }
        return new Ipv4(value);
    }

    public Ipv4 plus(long offset) {
        return new Ipv4(value + offset);
    }

    public String cidr(int prefix) {
        return this + "/" + prefix;
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
