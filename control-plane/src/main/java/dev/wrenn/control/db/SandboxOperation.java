package dev.wrenn.control.db;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a user may do to a sandbox in each status: the one table every route checks, instead of each route comparing
 * statuses on its own. {@link #refusal} is the message the user gets (409 {@code invalid_state}) when the table says
 * no; it names the sandbox, what the operation needs and the status it found.
 */
public enum SandboxOperation {
    EXEC(EnumSet.of(SandboxStatus.RUNNING), null),
    FILES(EnumSet.of(SandboxStatus.RUNNING), null),
    TERMINAL(EnumSet.of(SandboxStatus.RUNNING), null),
    PING(EnumSet.of(SandboxStatus.RUNNING), null),
    INSPECT(EnumSet.of(SandboxStatus.RUNNING), null),
    METRICS(EnumSet.of(SandboxStatus.RUNNING), null),
    /** E2B's traffic proxy: only a running guest can answer. */
    PROXY(EnumSet.of(SandboxStatus.RUNNING), null),
    PAUSE(EnumSet.of(SandboxStatus.RUNNING), null),
    RESUME(EnumSet.of(SandboxStatus.PAUSED), null),
    SNAPSHOT(EnumSet.of(SandboxStatus.RUNNING, SandboxStatus.PAUSED), "to be snapshotted"),
    /** E2B's connect (resumes a paused sandbox) and its timeout change. */
    CONNECT(EnumSet.of(SandboxStatus.RUNNING, SandboxStatus.PAUSED), "to be connected to"),
    SET_TIMEOUT(EnumSet.of(SandboxStatus.RUNNING, SandboxStatus.PAUSED), "to have its timeout changed"),
    /** A paused sandbox's new rules apply when it resumes. */
    UPDATE_NETWORK(EnumSet.of(SandboxStatus.RUNNING, SandboxStatus.PAUSED), "to have its network rules changed"),
    /** A failed or still-booting sandbox can be destroyed too; a stopped one has nothing left to destroy. */
    DESTROY(
            EnumSet.of(SandboxStatus.PENDING, SandboxStatus.RUNNING, SandboxStatus.PAUSED, SandboxStatus.ERROR),
            "to be destroyed");

    private final Set<SandboxStatus> allowedIn;
    private final String purpose;

    SandboxOperation(Set<SandboxStatus> allowedIn, String purpose) {
        this.allowedIn = allowedIn;
        this.purpose = purpose;
    }

    public boolean allowedIn(SandboxStatus status) {
        return allowedIn.contains(status);
    }

    /** Why the operation is refused on {@code sandbox}; only meaningful when {@link #allowedIn} is false. */
    public String refusal(Sandbox sandbox) {
        String found = " (status: " + sandbox.status().wireName() + ")";
        if (allowedIn.size() == 1) {
            return "sandbox " + sandbox.id() + " is not "
                    + allowedIn.iterator().next().wireName() + found;
        }
        String needed = String.join(
                " or ", allowedIn.stream().map(SandboxStatus::wireName).toList());
        return "sandbox " + sandbox.id() + " must be " + needed + " " + purpose + found;
    }
}
