package dev.wrenn.control.db;

import java.time.Instant;

/**
 * A template row. {@code teamId} is null for a global base image. {@code id} ({@code tpl-xxxxxxxx}) is the name the
 * host agent stores a snapshot under, since user-chosen names are unique only within a team. {@code vcpus} and
 * {@code memoryMb} are null when the template does not fix them.
 */
public record Template(
        String id,
        String teamId,
        String name,
        TemplateType type,
        Integer vcpus,
        Integer memoryMb,
        long sizeBytes,
        Instant createdAt) {}
