package dev.wrenn.control.auth;

import java.time.Instant;

/**
 * What a valid user token says: who is calling and for which team; {@code tokenId} (the {@code jti}) names the token
 * for a logout, {@code generation} is the account's token generation when it was issued (a password change moves it
 * on), {@code expiresAt} is how long a revocation must be remembered.
 */
public record UserClaims(
        String userId, String teamId, String email, String tokenId, long generation, Instant expiresAt) {}
