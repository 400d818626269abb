package dev.wrenn.control.ids;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Identifiers in the original system's format: a type prefix and 8 lowercase hex characters from a secure random
 * source ({@code usr-1a2b3c4d}); template ids have 32 (128 bits). The prefix tells a reader what an id names in logs and error messages.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TEMPLATE_PREFIX = "tpl-";

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

    /**
     * A template's id: 128 random bits, because a public template is booted by its id alone and an id must not be
     * guessable (ownership is checked too; the bits are a second wall).
     */
    public static String template() {
        return TEMPLATE_PREFIX + hex(16);
    }

    /** Whether {@code name} has the form of a template id rather than a name a user chose or an image's name. */
    public static boolean isTemplateId(String name) {
        return name.startsWith(TEMPLATE_PREFIX);
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
