package dev.wrenn.control.auth;

import dev.wrenn.control.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one place that knows what an invitation token looks like: {@code wrn_inv_} and 48 lowercase hex characters
 * (192 random bits), stored as the hex SHA-256 of the whole token. A fast hash is enough: the token is random, not
 * a password a person chose.
 */
public final class InviteToken {
    static final String PREFIX = "wrn_inv_";
    private static final Pattern SHAPE = Pattern.compile("wrn_inv_[0-9a-f]{48}");

    private InviteToken() {}

    public static String generate() {
        return PREFIX + Ids.hex(24);
    }

    /** Whether {@code token} could be an invitation at all; anything else is refused without a lookup. */
    public static boolean isWellFormed(String token) {
        return token != null && SHAPE.matcher(token).matches();
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
