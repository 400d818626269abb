package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The host agent's view of one VM, and the only place its transitions are defined. The control plane's sandbox
 * status is a separate enum mapped from this one.
 */
public enum VmState {
    STARTING,
    RUNNING,
    PAUSING,
    PAUSED,
    RESUMING,
    STOPPING,
    STOPPED,
    FAILED;

    /** The states this one may move to. STOPPED is terminal; FAILED can only be cleaned up. */
    public Set<VmState> next() {
        return switch (this) {
            case STARTING -> EnumSet.of(RUNNING, FAILED, STOPPING);
            case RUNNING -> EnumSet.of(PAUSING, STOPPING, FAILED);
            case PAUSING -> EnumSet.of(PAUSED, RUNNING, FAILED, STOPPING);
            case PAUSED -> EnumSet.of(RESUMING, STOPPING);
            case RESUMING -> EnumSet.of(RUNNING, PAUSED, FAILED, STOPPING);
            case STOPPING -> EnumSet.of(STOPPED, FAILED);
            case FAILED -> EnumSet.of(STOPPING);
            case STOPPED -> EnumSet.noneOf(VmState.class);
        };
    }

    public boolean canMoveTo(VmState target) {
        return next().contains(target);
    }

    /** Returns the target, or fails naming the VM when the move is not allowed. */
    public VmState moveTo(VmState target, String vmName) {
        if (!canMoveTo(target)) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "sandbox %s cannot go from %s to %s"
                            .formatted(
                                    vmName, name().toLowerCase(), target.name().toLowerCase()));
        }
        return target;
    }
}
