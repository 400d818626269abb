package dev.wrenn.sdk.commands;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A PTY's size, environment, user and the callback receiving its output ({@link Pty#create}). Build with
 * {@link #builder()}; 80×24 and no deadline by default (an interactive shell lives as long as its user).
 */
public final class PtyOptions {
    private final int cols;
    private final int rows;
    private final Map<String, String> envs;
    private final String cwd;
    private final String user;
    private final Duration timeout;
    private final Consumer<byte[]> onData;

    private PtyOptions(Builder b) {
        this.cols = b.cols;
        this.rows = b.rows;
        this.envs = Map.copyOf(b.envs);
        this.cwd = b.cwd;
        this.user = b.user;
        this.timeout = b.timeout;
        this.onData = b.onData;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Columns. */
    public int cols() {
        return cols;
    }

    /** Rows. */
    public int rows() {
        return rows;
    }

    /** Extra environment variables (TERM, LANG and LC_ALL are set as E2B's SDKs set them). */
    public Map<String, String> envs() {
        return envs;
    }

    /** The working directory, or null. */
    public String cwd() {
        return cwd;
    }

    /** The user, or null for the sandbox's default. */
    public String user() {
        return user;
    }

    /** The deadline; zero means none. */
    public Duration timeout() {
        return timeout;
    }

    /** Receives the terminal's output bytes. */
    public Consumer<byte[]> onData() {
        return onData;
    }

    /** Builds {@link PtyOptions}. */
    public static final class Builder {
        private int cols = 80;
        private int rows = 24;
        private final Map<String, String> envs = new LinkedHashMap<>();
        private String cwd;
        private String user;
        private Duration timeout = Duration.ZERO;
        private Consumer<byte[]> onData;

        private Builder() {}

        /** The terminal's size. */
        public Builder size(int cols, int rows) {
            if (cols < 1 || rows < 1) {
                throw new IllegalArgumentException("a terminal needs at least one column and row");
            }
            this.cols = cols;
            this.rows = rows;
            return this;
        }

        /** One environment variable. */
        public Builder env(String key, String value) {
            envs.put(key, value);
            return this;
        }

        /** The working directory. */
        public Builder cwd(String cwd) {
            this.cwd = cwd;
            return this;
        }

        /** The user. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The deadline; zero for none. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Receives the terminal's output. */
        public Builder onData(Consumer<byte[]> onData) {
            this.onData = onData;
            return this;
        }

        /** The options. */
        public PtyOptions build() {
            return new PtyOptions(this);
        }
    }
}
