package dev.wrenn.control.db;

import java.time.Instant;

/**
 * One build of a template through E2B's template API. {@code templateId} is the id the template row gets when a build
 * succeeds (and keeps across rebuilds); {@code status} is E2B's: waiting (requested, not started), building, ready,
 * error (with {@code reason} and the failing {@code reasonStep}). {@code sandboxId} is the build's sandbox while it
 * runs, so a restarted control plane can remove it.
 */
public record TemplateBuild(
        String id,
        String templateId,
        String teamId,
        String name,
        String status,
        String reason,
        String reasonStep,
        int vcpus,
        int memoryMb,
        String sandboxId,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt) {
    public static final String WAITING = "waiting";
    public static final String BUILDING = "building";
    public static final String READY = "ready";
    public static final String ERROR = "error";

    public boolean isFinished() {
        return status.equals(READY) || status.equals(ERROR);
    }

    /** A line of the build's log. */
    public record LogLine(int seq, Instant at, String level, String step, String message) {}

    /** A tag: a name for one build of a template. */
    public record Tag(String tag, String buildId, Instant createdAt) {}
}
