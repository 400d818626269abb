package dev.wrenn.control.ids;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Identifiers in the original system's format: a type prefix and 8 lowercase hex characters from a secure random
 * source ({@code usr-1a2b3c4d}). The prefix tells a reader what an id names in logs and error messages.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String user() {
        return "usr-" + hex(4);
    }

    public static String team() {
        return "team-" + hex(4);
    }

    public static String apiKey() {
        return "key-" + hex(4);
    }

    public static String sandbox() {
        return "sb-" + hex(4);
    }

    public static String template() {
        return "tpl-" + hex(4);
    }

    /** The default name of a snapshot template when the user gives none. */
    public static String templateName() {
        return "template-" + hex(4);
    }

    /** {@code bytes} random bytes as lowercase hex. */
    public static String hex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }
}
