package dev.wrenn.control.reconciler;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import java.time.Instant;

/** The reconciler's rule for one sandbox, without side effects: what its row should become, or null for no change. */
final class Reconciliation {
    static final String FAILED_WITHOUT_REASON = "the host agent reports the VM as failed";

    private Reconciliation() {}

    /**
     * @param row a running or paused row
     * @param onAgent the agent's entry for it, null if the agent does not list it
     * @param autoPaused whether the agent's inactivity reaper paused it since the previous pass
     */
    static Sandbox next(Sandbox row, SandboxInfo onAgent, boolean autoPaused, Instant now) {
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
            // Paused by the reaper. The other way (paused here, running there) is a resume still in flight.
            case PAUSED -> row.status() == SandboxStatus.RUNNING ? SandboxStatus.PAUSED : null;
            case PENDING, RUNNING -> null;
        };
    }
}
