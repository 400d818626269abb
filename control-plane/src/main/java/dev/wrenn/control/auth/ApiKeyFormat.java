package dev.wrenn.control.auth;

import dev.wrenn.control.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one place that knows what an API key looks like: {@code wrn_} and 32 lowercase hex characters (16 random
 * bytes), stored as the hex SHA-256 of the whole key, shown in lists by its first 10 characters. Other key formats
 * (E2B's, for the compatible API) are added to {@link #isWellFormed} here.
 */
public final class ApiKeyFormat {
    public static final String PREFIX = "wrn_";
    public static final int SHOWN_PREFIX_LENGTH = 10;
    private static final Pattern WRENN_KEY = Pattern.compile("wrn_[0-9a-f]{32}");

    private ApiKeyFormat() {}

    /** A fresh key; the plaintext is shown to its creator once and never stored. */
    public static NewApiKey generate() {
        String key = PREFIX + Ids.hex(16);
        return new NewApiKey(key, hash(key), key.substring(0, SHOWN_PREFIX_LENGTH));
    }

    /** Whether {@code key} could be a key at all; anything else is refused without a database lookup. */
    public static boolean isWellFormed(String key) {
        return key != null && WRENN_KEY.matcher(key).matches();
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A generated key: the plaintext, its stored hash, and the prefix shown in lists. */
    public record NewApiKey(String plaintext, String hash, String prefix) {
        @Override
        public String toString() {
            return "NewApiKey[prefix=" + prefix + "]";
        }
    }
}
