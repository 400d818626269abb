package dev.wrenn.guest.fs;

import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.GuestUser;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns a path as a client sends it into the absolute, normalized path the agent acts on, the way envd does: an
 * absolute path stays put, {@code ~} and {@code ~/x} name the caller's home, a relative path is relative to the
 * caller's home, and an empty path means the default working directory (else the home).
 */
public final class PathResolver {
    private final AgentState state;

    public PathResolver(AgentState state) {
        this.state = state;
    }

    /** @throws ConnectException {@code invalid_argument} when the text cannot be a path (a NUL byte) */
    public Path resolve(String rawPath, GuestUser user) {
        Path home = user.home().toAbsolutePath();
        if (rawPath == null || rawPath.isEmpty()) {
            return state.defaultWorkdir()
                    .map(wd -> home.resolve(parse(wd)))
                    .orElse(home)
                    .normalize();
        }
        if (rawPath.equals("~")) {
            return home.normalize();
        }
        if (rawPath.startsWith("~/")) {
            return home.resolve(parse(rawPath.substring(2))).normalize();
        }
        return home.resolve(parse(rawPath)).normalize();
    }

    private static Path parse(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw ConnectException.invalidArgument("invalid path '" + text + "': " + e.getReason());
        }
    }
}
