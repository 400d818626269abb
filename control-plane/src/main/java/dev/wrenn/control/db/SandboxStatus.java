package dev.wrenn.control.db;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane's view of a sandbox, stored in {@code sandboxes.status} by its wire name, and the one place that
 * says which status may follow which and how the host agent's VM state maps onto it.
 *
 * <pre>
 * (create) pending ──agent ok──> running ──pause / snapshot / reconciler (auto-paused)──> paused ──resume──> running
 *             └──agent fails──> error       running, paused ──reconciler: VM died──> error
 * running, paused ──reconciler: gone from the agent──> stopped
 * any but stopped ──DELETE──> stopped
 * </pre>
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

    /** Whether a sandbox in this status may move to {@code next}; staying in the same status is no transition. */
    public boolean canBecome(SandboxStatus next) {
        return successors().contains(next);
    }

    private Set<SandboxStatus> successors() {
        return switch (this) {
            // A DELETE may win the race against the create that is still booting the VM.
            case PENDING -> EnumSet.of(RUNNING, ERROR, STOPPED);
            case RUNNING -> EnumSet.of(PAUSED, STOPPED, ERROR);
            // A resume that fails leaves nothing to run: error.
            case PAUSED -> EnumSet.of(RUNNING, STOPPED, ERROR);
            // DELETE of a failed sandbox frees what the agent may still hold and files it away as stopped.
            case ERROR -> EnumSet.of(STOPPED);
            case STOPPED -> EnumSet.noneOf(SandboxStatus.class);
        };
    }

    /**
     * The status a VM in the host agent's {@code state} stands for; empty for a state the agent did not set. Passing
     * states count as where they come from until they are done (a pausing VM still runs, a resuming one is still
     * paused); a VM that stopped on its own is {@link #STOPPED} here, and its stop reason makes it an error.
     */
    public static Optional<SandboxStatus> fromAgent(dev.wrenn.protocol.hostagent.v1.SandboxStatus state) {
        return Optional.ofNullable(
                switch (state) {
                    case SANDBOX_STATUS_STARTING -> PENDING;
                    case SANDBOX_STATUS_RUNNING, SANDBOX_STATUS_PAUSING -> RUNNING;
                    case SANDBOX_STATUS_PAUSED, SANDBOX_STATUS_RESUMING -> PAUSED;
                    case SANDBOX_STATUS_STOPPING, SANDBOX_STATUS_STOPPED -> STOPPED;
                    case SANDBOX_STATUS_FAILED -> ERROR;
                    case SANDBOX_STATUS_UNSPECIFIED, UNRECOGNIZED -> null;
                });
    }
}
