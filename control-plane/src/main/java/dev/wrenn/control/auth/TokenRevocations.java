package dev.wrenn.control.auth;

/**
 * The database's view of user tokens: an account's current token generation (a password change moves it on, so
 * every token issued before is refused) and whether one token was revoked by a logout.
 */
public interface TokenRevocations {
    /** For services that run without a database (unit tests): generation 0, nothing ever revoked. */
    TokenRevocations NONE = new TokenRevocations() {
        @Override
        public long generation(String userId) {
            return 0;
        }

        @Override
        public boolean isRevoked(UserClaims claims) {
            return false;
        }
    };

    /** The generation new tokens of this account carry. */
    long generation(String userId);

    /** Whether the token was logged out, its generation is behind its account's, or its account is gone. */
    boolean isRevoked(UserClaims claims);
}
