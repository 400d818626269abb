package dev.wrenn.sdk;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which sandboxes {@link Sandbox#list(SandboxQuery)} returns, and how many per page. Build with {@link #builder()};
 * by default running and paused sandboxes, 100 per page.
 */
public final class SandboxQuery {
    private final Map<String, String> metadata;
    private final Set<SandboxState> states;
    private final int limit;
    private final ConnectionConfig config;

    private SandboxQuery(Builder b) {
        this.metadata = Map.copyOf(b.metadata);
        this.states = Set.copyOf(b.states);
        this.limit = b.limit;
        this.config = b.config;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sandboxes whose metadata has all these entries. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Sandboxes in any of these states. */
    public Set<SandboxState> states() {
        return states;
    }

    /** The page size. */
    public int limit() {
        return limit;
    }

    /** Where to connect; null means {@link ConnectionConfig#fromEnvironment()}. */
    public ConnectionConfig config() {
        return config;
    }

    /** Builds a {@link SandboxQuery}. */
    public static final class Builder {
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Set<SandboxState> states = EnumSet.allOf(SandboxState.class);
        private int limit = 100;
        private ConnectionConfig config;

        private Builder() {}

        /** Only sandboxes with this metadata entry. */
        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        /** Only sandboxes in these states. */
        public Builder states(SandboxState... wanted) {
            states.clear();
            states.addAll(Set.of(wanted));
            return this;
        }

        /** The page size (1..1000). */
        public Builder limit(int limit) {
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be 1..1000 (got " + limit + ")");
            }
            this.limit = limit;
            return this;
        }

        /** Where to connect. */
        public Builder config(ConnectionConfig config) {
            this.config = config;
            return this;
        }

        /** The query. */
        public SandboxQuery build() {
            return new SandboxQuery(this);
        }
    }
}
