package dev.wrenn.control.db;

import java.util.Locale;

/**
 * The control plane's view of a sandbox, stored in {@code sandboxes.status} by its wire name. Separate from the host
 * agent's VM status; the transitions between these values belong in one state-machine class next to the sandbox
 * service.
 */
public enum SandboxStatus {
    PENDING,
    RUNNING,
    PAUSED,
    STOPPED,
    ERROR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SandboxStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Whether the sandbox is over for good; such sandboxes are hidden from lists. */
    public boolean isEnded() {
        return this == STOPPED || this == ERROR;
    }
}
