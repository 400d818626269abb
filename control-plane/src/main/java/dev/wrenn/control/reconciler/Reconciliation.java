package dev.wrenn.control.reconciler;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import java.time.Instant;

/**
 * The reconciler's rule for one live row (pending, running or paused), without side effects: what the row should
 * become and whether the agent's VM must go. Rows whose create or resume is still in flight in this process are
 * left alone; any other pending row, or paused row over a running VM, is what a control plane that stopped (or gave
 * up) mid-call left behind, and is settled against what the host has.
 */
final class Reconciliation {
    static final String FAILED_WITHOUT_REASON = "the host agent reports the VM as failed";
    static final String CREATE_LOST =
            "the control plane stopped before the sandbox was created, and the host agent has no VM for it";
    static final String CREATE_LEFT_VM = "the control plane stopped during the create; the host agent's VM was ";

    /** The new row (null: unchanged) and whether to destroy the VM on the agent. */
    record Outcome(Sandbox row, boolean destroyVm) {
        static final Outcome NONE = new Outcome(null, false);
    }

    private Reconciliation() {}

    /**
     * @param row a pending, running or paused row
     * @param onAgent the agent's entry for it, null if the agent does not list it
     * @param autoPaused whether the agent's inactivity reaper paused it since the previous pass
     * @param inFlight whether this process is creating or resuming it right now
     */
    static Outcome next(Sandbox row, SandboxInfo onAgent, boolean autoPaused, boolean inFlight, Instant now) {
        if (inFlight) {
            return Outcome.NONE;
        }
        if (row.status() == SandboxStatus.PENDING) {
            return settlePending(row, onAgent, now);
        }
        if (row.status() == SandboxStatus.PAUSED && runsOn(onAgent)) {
            // A resume the host finished after the control plane gave up on it (or died).
            return new Outcome(row.running(onAgent.getHostIp(), now), false);
        }
        return new Outcome(follow(row, onAgent, autoPaused, now), false);
    }

    /** A create nobody is waiting for: adopt a VM that runs, wait for one that boots, clear anything else away. */
    private static Outcome settlePending(Sandbox row, SandboxInfo onAgent, Instant now) {
        if (onAgent == null) {
            return new Outcome(row.failed(CREATE_LOST, now), false);
        }
        if (runsOn(onAgent)) {
            return new Outcome(row.running(onAgent.getHostIp(), now), false);
        }
        if (onAgent.getStatus() == dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_STARTING) {
            return Outcome.NONE;
        }
        String state = onAgent.getStopReason().isEmpty()
                ? SandboxStatus.fromAgent(onAgent.getStatus())
                        .map(SandboxStatus::wireName)
                        .orElse("in an unknown state")
                : "stopped: " + onAgent.getStopReason();
        return new Outcome(row.failed(CREATE_LEFT_VM + state, now), true);
    }

    private static boolean runsOn(SandboxInfo onAgent) {
        return onAgent != null
                && onAgent.getStatus() == dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_RUNNING
                && !onAgent.getHostIp().isEmpty();
    }

    /** A running or paused row follows what happened to its VM on the host. */
    private static Sandbox follow(Sandbox row, SandboxInfo onAgent, boolean autoPaused, Instant now) {
        SandboxStatus target = target(row, onAgent, autoPaused);
        if (target == null || target == row.status() || !row.status().canBecome(target)) {
            return null;
        }
        if (target == SandboxStatus.ERROR) {
            String reason = onAgent.getStopReason().isEmpty() ? FAILED_WITHOUT_REASON : onAgent.getStopReason();
            return row.failed(reason, now);
        }
        return row.withStatus(target, now);
    }

    private static SandboxStatus target(Sandbox row, SandboxInfo onAgent, boolean autoPaused) {
        if (onAgent == null) {
            return autoPaused && row.status() == SandboxStatus.RUNNING ? SandboxStatus.PAUSED : SandboxStatus.STOPPED;
        }
        SandboxStatus observed = SandboxStatus.fromAgent(onAgent.getStatus()).orElse(null);
        if (observed == null) {
            return null;
        }
        return switch (observed) {
            // A VM that stopped without being asked to has a reason: that is a failure, not an orderly end.
            case STOPPED -> onAgent.getStopReason().isEmpty() ? SandboxStatus.STOPPED : SandboxStatus.ERROR;
            case ERROR -> SandboxStatus.ERROR;
            // Paused by the reaper (or by a pause whose answer was lost).
            case PAUSED -> row.status() == SandboxStatus.RUNNING ? SandboxStatus.PAUSED : null;
            case PENDING, RUNNING -> null;
        };
    }
}
