package dev.wrenn.guest.fs;

import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.GuestUser;
import java.nio.file.Path;

/** PLACEHOLDER for the filesystem helper's class (replaced at merge): turns a request path into an absolute one. */
public final class PathResolver {
    private final AgentState state;

    public PathResolver(AgentState state) {
        this.state = state;
    }

    public Path resolve(String rawPath, GuestUser user) {
        if (rawPath == null || rawPath.isEmpty()) {
            return state.defaultWorkdir().map(Path::of).orElse(user.home());
        }
        String expanded = rawPath;
        if (rawPath.equals("~") || rawPath.startsWith("~/")) {
            expanded = user.home() + rawPath.substring(1);
        }
        Path path = Path.of(expanded);
        return (path.isAbsolute() ? path : user.home().resolve(path)).normalize();
    }
}
