package dev.wrenn.sdk.commands;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a command runs: environment, working directory, user, deadline, stdin, and the callbacks that receive its
 * output as it arrives. Build with {@link #builder()}; {@link #DEFAULTS} are E2B's.
 */
public final class CommandOptions {
    /** The default deadline of a command (E2B's): 60 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** No options. */
    public static final CommandOptions DEFAULTS = builder().build();

    private final Map<String, String> envs;
    private final String cwd;
    private final String user;
    private final Duration timeout;
    private final boolean stdin;
    private final Consumer<String> onStdout;
    private final Consumer<String> onStderr;

    private CommandOptions(Builder b) {
        this.envs = Map.copyOf(b.envs);
        this.cwd = b.cwd;
        this.user = b.user;
        this.timeout = b.timeout;
        this.stdin = b.stdin;
        this.onStdout = b.onStdout;
        this.onStderr = b.onStderr;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Extra environment variables. */
    public Map<String, String> envs() {
        return envs;
    }

    /** The working directory, or null for the user's default. */
    public String cwd() {
        return cwd;
    }

    /** The user to run as, or null for the sandbox's default user. */
    public String user() {
        return user;
    }

    /** The deadline; {@link Duration#ZERO} means none. When it passes the command is killed. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether the command's stdin stays open for {@link CommandHandle#sendStdin}. */
    public boolean stdin() {
        return stdin;
    }

    /** Receives standard output as it arrives (UTF-8 text), or null. */
    public Consumer<String> onStdout() {
        return onStdout;
    }

    /** Receives standard error as it arrives (UTF-8 text), or null. */
    public Consumer<String> onStderr() {
        return onStderr;
    }

    /** Builds {@link CommandOptions}. */
    public static final class Builder {
        private final Map<String, String> envs = new LinkedHashMap<>();
        private String cwd;
        private String user;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean stdin;
        private Consumer<String> onStdout;
        private Consumer<String> onStderr;

        private Builder() {}

        /** One environment variable. */
        public Builder env(String key, String value) {
            envs.put(key, value);
            return this;
        }

        /** Environment variables. */
        public Builder envs(Map<String, String> entries) {
            envs.putAll(entries);
            return this;
        }

        /** The working directory. */
        public Builder cwd(String cwd) {
            this.cwd = cwd;
            return this;
        }

        /** The user to run as. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The deadline; {@link Duration#ZERO} for none. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative");
            }
            this.timeout = timeout;
            return this;
        }

        /** Keep stdin open for {@link CommandHandle#sendStdin}. */
        public Builder stdin(boolean stdin) {
            this.stdin = stdin;
            return this;
        }

        /** Receives standard output as it arrives. */
        public Builder onStdout(Consumer<String> onStdout) {
            this.onStdout = onStdout;
            return this;
        }

        /** Receives standard error as it arrives. */
        public Builder onStderr(Consumer<String> onStderr) {
            this.onStderr = onStderr;
            return this;
        }

        /** The options. */
        public CommandOptions build() {
            return new CommandOptions(this);
        }
    }
}
