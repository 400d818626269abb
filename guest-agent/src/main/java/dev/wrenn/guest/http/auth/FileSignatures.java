package dev.wrenn.guest.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * The signature of a pre-signed /files URL, as the SDKs compute it: "v1_" + unpadded standard base64 of
 * sha256("path:operation:username:token[:expiration]"), over the decoded query values.
 */
public final class FileSignatures {
    public static final String READ = "read";
    public static final String WRITE = "write";

    private FileSignatures() {}

    public static String sign(String path, String operation, String username, String token, OptionalLong expiration) {
        String material = path + ":" + operation + ":" + username + ":" + token;
        if (expiration.isPresent()) {
            material += ":" + expiration.getAsLong();
        }
        return "v1_" + Base64.getEncoder().withoutPadding().encodeToString(sha256(material));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }
}
