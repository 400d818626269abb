package dev.wrenn.guest.user;

import dev.wrenn.guest.state.AgentState;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Decides which guest user a request acts as. RPCs name the user as the username of HTTP Basic auth (empty
 * password); /files names it in {@code ?username=}. With neither, the default user set by /init applies.
 */
public final class CallerResolver {
    private final UserDirectory users;
    private final AgentState state;

    public CallerResolver(UserDirectory users, AgentState state) {
        this.users = users;
        this.state = state;
    }

    /** The user named by an {@code Authorization: Basic} header, else the default user. */
    public GuestUser fromAuthorization(Optional<String> authorizationHeader) {
        return fromName(authorizationHeader.flatMap(CallerResolver::basicUsername));
    }

    /** The user named explicitly (blank counts as absent), else the default user. */
    public GuestUser fromName(Optional<String> username) {
        String name = username.filter(n -> !n.isBlank()).orElse(state.defaultUser());
        return users.require(name);
    }

    static Optional<String> basicUsername(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
