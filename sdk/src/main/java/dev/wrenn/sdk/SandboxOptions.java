package dev.wrenn.sdk;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@link Sandbox#create(SandboxOptions)} makes a sandbox: template, timeout, metadata, environment and where to
 * connect. Build with {@link #builder()}; every field is optional.
 */
public final class SandboxOptions {
    /** The template a sandbox starts from when none is named. */
    public static final String DEFAULT_TEMPLATE = "base";
    /** E2B's default lifetime: a sandbox is ended this long after create unless its timeout is changed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final String template;
    private final Duration timeout;
    private final Map<String, String> metadata;
    private final Map<String, String> envs;
    private final boolean autoPause;
    private final ConnectionConfig config;

    private SandboxOptions(Builder b) {
        this.template = b.template;
        this.timeout = b.timeout;
        this.metadata = Map.copyOf(b.metadata);
        this.envs = Map.copyOf(b.envs);
        this.autoPause = b.autoPause;
        this.config = b.config;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The template (name or id), {@value #DEFAULT_TEMPLATE} by default. */
    public String template() {
        return template;
    }

    /** The lifetime from now, after which the sandbox is killed (or paused with {@link #autoPause()}). */
    public Duration timeout() {
        return timeout;
    }

    /** Metadata kept with the sandbox and matched by {@link SandboxQuery}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Environment variables every command in the sandbox sees. */
    public Map<String, String> envs() {
        return envs;
    }

    /** Pause instead of kill when the timeout ends. */
    public boolean autoPause() {
        return autoPause;
    }

    /** Where to connect; null means {@link ConnectionConfig#fromEnvironment()}. */
    public ConnectionConfig config() {
        return config;
    }

    /** Builds {@link SandboxOptions}. */
    public static final class Builder {
        private String template = DEFAULT_TEMPLATE;
        private Duration timeout = DEFAULT_TIMEOUT;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, String> envs = new LinkedHashMap<>();
        private boolean autoPause;
        private ConnectionConfig config;

        private Builder() {}

        /** The template's name or id. */
        public Builder template(String template) {
            this.template = template;
            return this;
        }

        /** The sandbox's lifetime (whole seconds; at least one). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** One metadata entry. */
        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        /** Metadata entries. */
        public Builder metadata(Map<String, String> entries) {
            metadata.putAll(entries);
            return this;
        }

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

        /** Pause instead of kill when the timeout ends. */
        public Builder autoPause(boolean autoPause) {
            this.autoPause = autoPause;
            return this;
        }

        /** Where to connect. */
        public Builder config(ConnectionConfig config) {
            this.config = config;
            return this;
        }

        /** The options. */
        public SandboxOptions build() {
            return new SandboxOptions(this);
        }
    }
}
