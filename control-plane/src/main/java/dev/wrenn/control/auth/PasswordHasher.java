package dev.wrenn.control.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt password hashes. bcrypt reads at most 72 bytes, so longer passwords are refused rather than truncated. */
public final class PasswordHasher {
    public static final int MAX_PASSWORD_BYTES = 72;

    private final int cost;
    /** Checked against when the user does not exist, so that a login takes as long either way. */
    private final String decoyHash;

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.decoyHash = hash("not-a-real-password");
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return false;
        }
        return BCrypt.verifyer()
                .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                .verified;
    }

    /** Spends the time of one check and returns false; for logins with an unknown email. */
    public boolean matchesNothing(String password) {
        matches(password, decoyHash);
        return false;
    }
}
