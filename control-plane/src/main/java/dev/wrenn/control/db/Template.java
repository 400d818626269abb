package dev.wrenn.control.db;

import java.time.Instant;

/**
 * A template row. {@code teamId} is null for a global base image. {@code id} ({@code tpl-} and 32 hex characters;
 * older rows have 8) is the name the host agent stores a snapshot under, since user-chosen names are unique only
 * within a team. {@code vcpus} and {@code memoryMb} are null when the template does not fix them. Only the owning team
 * may boot a template unless {@code isPublic} (E2B's {@code public} flag), then every team may, by its id.
 */
public record Template(
        String id,
        String teamId,
        String name,
        TemplateType type,
        Integer vcpus,
        Integer memoryMb,
        long sizeBytes,
        Instant createdAt,
        boolean isPublic) {

    /** A private template. */
    public Template(
            String id,
            String teamId,
            String name,
            TemplateType type,
            Integer vcpus,
            Integer memoryMb,
            long sizeBytes,
            Instant createdAt) {
        this(id, teamId, name, type, vcpus, memoryMb, sizeBytes, createdAt, false);
    }

    public Template withPublic(boolean value) {
        return new Template(id, teamId, name, type, vcpus, memoryMb, sizeBytes, createdAt, value);
    }
}
