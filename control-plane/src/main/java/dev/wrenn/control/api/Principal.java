package dev.wrenn.control.api;

/**
 * Who made a request: always a team; a user (and email) only when the caller presented a user token, since an API
 * key belongs to a team, not to a person.
 */
public record Principal(String teamId, String userId, String email, Via via) {

    public enum Via {
        JWT,
        API_KEY
    }

    static Principal ofUser(String userId, String teamId, String email) {
        return new Principal(teamId, userId, email, Via.JWT);
    }

    static Principal ofApiKey(String teamId) {
        return new Principal(teamId, null, null, Via.API_KEY);
    }
}
