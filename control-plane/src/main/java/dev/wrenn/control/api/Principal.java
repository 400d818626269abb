package dev.wrenn.control.api;

/**
 * Who made a request: always a team; a user (and email) only when the caller presented a user token, since an API
 * key belongs to a team, not to a person; the key's id (never its secret) when it presented a key.
 */
public record Principal(String teamId, String userId, String email, Via via, String keyId) {

    public enum Via {
        JWT,
        API_KEY
    }

    static Principal ofUser(String userId, String teamId, String email) {
        return new Principal(teamId, userId, email, Via.JWT, null);
    }

    static Principal ofApiKey(String teamId, String keyId) {
        return new Principal(teamId, null, null, Via.API_KEY, keyId);
    }
}
