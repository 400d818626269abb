package dev.wrenn.pki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A one-time enrollment token as an operator copies it: {@code <id>.<secret>.<ca-fingerprint>}. The control plane
 * stores only the id and the SHA-256 of the secret; the host checks that the CA it is handed hashes to the
 * fingerprint, so an answer from anyone but this control plane is refused even over plain HTTP.
 *
 * @param id 16 hex characters naming the token's row
 * @param secret 32 random bytes, base64url
 * @param caFingerprint SHA-256 of the CA certificate's DER, lower-case hex
 */
public record EnrollmentToken(String id, String secret, String caFingerprint) {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public EnrollmentToken {
        if (id == null || !ID.matcher(id).matches()) {
            throw new PkiException("an enrollment token's id must be 16 hex characters");
        }
        if (secret == null || !SECRET.matcher(secret).matches()) {
            throw new PkiException("an enrollment token's secret must be 43 base64url characters");
        }
        if (caFingerprint == null || !FINGERPRINT.matcher(caFingerprint).matches()) {
            throw new PkiException("an enrollment token's CA fingerprint must be 64 hex characters");
        }
    }

    /** A fresh token for the CA with {@code caFingerprint}. */
    public static EnrollmentToken generate(String caFingerprint) {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new EnrollmentToken(
                HexFormat.of().formatHex(id),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                caFingerprint);
    }

    /** The token as the operator typed it; anything that is not exactly the format is refused. */
    public static EnrollmentToken parse(String text) {
        if (text == null || text.length() > 200) {
            throw new PkiException("the enrollment token is missing or too long");
        }
        String[] parts = text.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw new PkiException("an enrollment token has three parts separated by dots: <id>.<secret>.<ca-sha256>");
        }
        return new EnrollmentToken(parts[0], parts[1], parts[2]);
    }

    /** What the control plane stores instead of the secret: SHA-256, hex. */
    public String secretHash() {
        return hash(secret);
    }

    /** Compares {@code secret}'s hash with a stored one in constant time. */
    public boolean matches(String storedHash) {
        return storedHash != null
                && MessageDigest.isEqual(
                        secretHash().getBytes(StandardCharsets.US_ASCII),
                        storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new PkiException("SHA-256 is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return id + "." + secret + "." + caFingerprint;
    }
}
