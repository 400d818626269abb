package dev.wrenn.guest.state;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What POST /init configures and every service reads: the global environment, the envd access token, the default
 * user and working directory. Thread-safe; values change only through {@link #apply}.
 */
public final class AgentState {
    private final Map<String, String> envVars = new ConcurrentHashMap<>();
    private volatile String accessToken;
    private volatile String defaultUser;
    private volatile String defaultWorkdir;

    /** @param defaultUser the user when a request names none (envd's built-in default is root) */
    public AgentState(String defaultUser) {
        this.defaultUser = defaultUser;
    }

    /** The values an /init call carries; a null field leaves the current value unchanged. */
    public record InitUpdate(
            Map<String, String> envVars, String accessToken, String defaultUser, String defaultWorkdir) {}

    public void apply(InitUpdate update) {
        if (update.envVars() != null) {
            envVars.putAll(update.envVars());
        }
        if (update.accessToken() != null) {
            accessToken = update.accessToken().isEmpty() ? null : update.accessToken();
        }
        if (update.defaultUser() != null && !update.defaultUser().isEmpty()) {
            defaultUser = update.defaultUser();
        }
        if (update.defaultWorkdir() != null && !update.defaultWorkdir().isEmpty()) {
            defaultWorkdir = update.defaultWorkdir();
        }
    }

    public Map<String, String> envVars() {
        return Map.copyOf(envVars);
    }

    public Optional<String> accessToken() {
        return Optional.ofNullable(accessToken);
    }

    public String defaultUser() {
        return defaultUser;
    }

    public Optional<String> defaultWorkdir() {
        return Optional.ofNullable(defaultWorkdir);
    }
}
