package dev.wrenn.control.audit;

/**
 * Who did something the audit log records: a user (by a token), an API key (by its id, never its secret), or
 * nobody known (a failed login). {@code address} is the client's address as the server saw it.
 */
public record Actor(String type, String id, String address) {
    public static final String USER = "user";
    public static final String API_KEY = "api_key";
    public static final String ANONYMOUS = "anonymous";

    public static Actor user(String userId, String address) {
        return new Actor(USER, userId, address);
    }

    public static Actor apiKey(String keyId, String address) {
        return new Actor(API_KEY, keyId, address);
    }

    public static Actor anonymous(String address) {
        return new Actor(ANONYMOUS, null, address);
    }
}
