package dev.wrenn.control.db;

import dev.wrenn.control.auth.TokenRevocations;
import dev.wrenn.control.auth.UserClaims;
import java.time.Instant;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Token revocation in the database: {@code users.token_generation} (moved on by a password change) and
 * {@code revoked_tokens} (one row per logged-out token until it would have expired). Read on every request that
 * presents a user token, so a revocation takes effect at once on every replica.
 */
public final class SessionRepository implements TokenRevocations {
    private final Database database;

    public SessionRepository(Database database) {
        this.database = database;
    }

    @Override
    public long generation(String userId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT token_generation FROM users WHERE id = :user")
                        .bind("user", userId)
                        .mapTo(Long.class)
                        .findOne()
                        .orElse(0L));
    }

    @Override
    public boolean isRevoked(UserClaims claims) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT u.token_generation,"
                                + " (SELECT COUNT(*) FROM revoked_tokens r WHERE r.jti = :jti) AS revoked"
                                + " FROM users u WHERE u.id = :user")
                        .bind("jti", claims.tokenId())
                        .bind("user", claims.userId())
                        .map((rs, ctx) ->
                                rs.getLong("token_generation") != claims.generation() || rs.getLong("revoked") > 0)
                        .findOne())
                .orElse(true);
    }

    /** Remembers a logged-out token until {@code expiresAt}; revoking it twice is fine. */
    public void revoke(String tokenId, Instant expiresAt, Consumer<Handle> alongside) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO revoked_tokens (jti, expires_at) VALUES (:jti, :exp)"
                            + " ON CONFLICT (jti) DO NOTHING")
                    .bind("jti", tokenId)
                    .bind("exp", expiresAt.toEpochMilli())
                    .execute();
            alongside.accept(h);
        });
    }

    /**
     * Sets a new password hash if the stored one is still {@code expectedHash} (a concurrent change wins otherwise)
     * and moves the account's token generation on, so that every token issued before is refused.
     *
     * @return false if the hash had changed meanwhile
     */
    public boolean changePassword(
            String userId, String expectedHash, String newHash, Instant at, Consumer<Handle> alongside) {
        return database.jdbi().inTransaction(h -> {
            int changed = h.createUpdate("UPDATE users SET password_hash = :hash,"
                            + " token_generation = token_generation + 1, updated_at = :at"
                            + " WHERE id = :user AND password_hash = :expected")
                    .bind("hash", newHash)
                    .bind("at", at.toEpochMilli())
                    .bind("user", userId)
                    .bind("expected", expectedHash)
                    .execute();
            if (changed == 1) {
                alongside.accept(h);
            }
            return changed == 1;
        });
    }
}
