package dev.wrenn.host.oci;

/** Where a build's log lines go (the RPC streams them); levels are E2B's: debug, info, warn, error. */
@FunctionalInterface
public interface BuildLog {
    void line(String level, String message);

    default void info(String message) {
        line("info", message);
    }

    default void warn(String message) {
        line("warn", message);
    }

    BuildLog NONE = (level, message) -> {};
}
