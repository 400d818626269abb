package dev.wrenn.control.auth;

import dev.wrenn.control.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one place that knows what an API key looks like: {@code wrn_} and 32 lowercase hex characters (16 random
 * bytes), stored as the hex SHA-256 of the whole key, shown in lists by its first 10 characters. Keys for the
 * E2B-compatible API look like E2B's own, {@code e2b_} and 40 lowercase hex characters, because SDKs up to 2.45 refuse
 * any other shape; both kinds work on every route.
 */
public final class ApiKeyFormat {
    public static final String PREFIX = "wrn_";
    public static final int SHOWN_PREFIX_LENGTH = 10;
    public static final String E2B_PREFIX = "e2b_";
    private static final Pattern WRENN_KEY = Pattern.compile("wrn_[0-9a-f]{32}");
    private static final Pattern E2B_KEY = Pattern.compile("e2b_[0-9a-f]{40}");

    private ApiKeyFormat() {}

    /** A fresh key; the plaintext is shown to its creator once and never stored. */
    public static NewApiKey generate() {
        return generate(Kind.WRENN);
    }

    public static NewApiKey generate(Kind kind) {
        String key = switch (kind) {
            case WRENN -> PREFIX + Ids.hex(16);
            case E2B -> E2B_PREFIX + Ids.hex(20);
        };
        return new NewApiKey(key, hash(key), key.substring(0, SHOWN_PREFIX_LENGTH));
    }

    /** Whether {@code credential} is meant as an API key rather than a user token (by its prefix). */
    public static boolean looksLikeKey(String credential) {
        return credential.startsWith(PREFIX) || credential.startsWith(E2B_PREFIX);
    }

    /** Whether {@code key} could be a key at all; anything else is refused without a database lookup. */
    public static boolean isWellFormed(String key) {
        return key != null
                && (WRENN_KEY.matcher(key).matches() || E2B_KEY.matcher(key).matches());
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The shape of a new key: Wrenn's own, or E2B's for SDKs that check it. */
    public enum Kind {
        WRENN,
        E2B
    }

    /** A generated key: the plaintext, its stored hash, and the prefix shown in lists. */
    public record NewApiKey(String plaintext, String hash, String prefix) {
        @Override
        public String toString() {
            return "NewApiKey[prefix=" + prefix + "]";
        }
    }
}
