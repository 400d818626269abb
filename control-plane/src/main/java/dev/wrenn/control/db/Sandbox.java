package dev.wrenn.control.db;

import java.time.Instant;
import java.util.Map;

/**
 * A sandbox row. {@code hostIp} is where the host reaches the guest agent ("" until running); {@code errorReason}
 * says why a sandbox is in {@link SandboxStatus#ERROR} (null otherwise); {@code metadata} is the user's key/value
 * labels.
 */
public record Sandbox(
        String id,
        String teamId,
        String hostId,
        String template,
        SandboxStatus status,
        int vcpus,
        int memoryMb,
        int timeoutSec,
        String hostIp,
        Map<String, String> metadata,
        String errorReason,
        Instant createdAt,
        Instant startedAt,
        Instant lastActiveAt,
        Instant lastUpdated) {

    public Sandbox {
        metadata = Map.copyOf(metadata);
    }

    public Sandbox withStatus(SandboxStatus newStatus, Instant at) {
        return new Sandbox(
                id,
                teamId,
                hostId,
                template,
                newStatus,
                vcpus,
                memoryMb,
                timeoutSec,
                hostIp,
                metadata,
                errorReason,
                createdAt,
                startedAt,
                lastActiveAt,
                at);
    }

    /** Running on {@code newHostIp} since {@code at}, e.g. after a create or a resume. */
    public Sandbox running(String newHostIp, Instant at) {
        return new Sandbox(
                id,
                teamId,
                hostId,
                template,
                SandboxStatus.RUNNING,
                vcpus,
                memoryMb,
                timeoutSec,
                newHostIp,
                metadata,
                null,
                createdAt,
                at,
                at,
                at);
    }

    public Sandbox failed(String reason, Instant at) {
        return new Sandbox(
                id,
                teamId,
                hostId,
                template,
                SandboxStatus.ERROR,
                vcpus,
                memoryMb,
                timeoutSec,
                hostIp,
                metadata,
                reason,
                createdAt,
                startedAt,
                lastActiveAt,
                at);
    }
}
