package dev.wrenn.guest.http.auth;

import dev.wrenn.guest.state.AgentState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Compares presented access tokens with the one /init set, in constant time. */
public final class AccessTokens {
    public static final String HEADER = "X-Access-Token";
    public static final String UNAUTHORIZED = "unauthorized access, please provide a valid access token";

    private AccessTokens() {}

    /** True when no token is set, or {@code presented} equals it. */
    public static boolean accepts(AgentState state, String presented) {
        return state.accessToken().map(token -> equal(token, presented)).orElse(true);
    }

    static boolean equal(String expected, String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
