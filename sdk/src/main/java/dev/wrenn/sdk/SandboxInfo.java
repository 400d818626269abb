package dev.wrenn.sdk;

import dev.wrenn.sdk.internal.Json;
import java.time.Instant;
import java.util.Map;

/**
 * What the API says about one sandbox ({@link Sandbox#getInfo()}, {@link Sandbox#list}).
 *
 * @param sandboxId its id
 * @param templateId the template it was started from
 * @param cpuCount virtual CPUs
 * @param memoryMb memory in MiB
 * @param startedAt when it started (or was last resumed)
 * @param endAt when its timeout ends it, or null
 * @param state running or paused
 * @param metadata the metadata given at create
 * @param envdVersion its envd's version
 */
public record SandboxInfo(
        String sandboxId,
        String templateId,
        int cpuCount,
        int memoryMb,
        Instant startedAt,
        Instant endAt,
        SandboxState state,
        Map<String, String> metadata,
        String envdVersion) {

    /** From E2B's {@code SandboxDetail} / {@code ListedSandbox} JSON. */
    static SandboxInfo fromJson(Map<String, Object> json) {
        return new SandboxInfo(
                Json.string(json, "sandboxID"),
                Json.string(json, "templateID"),
                (int) Json.number(json, "cpuCount", 0),
                (int) Json.number(json, "memoryMB", 0),
                instant(Json.string(json, "startedAt")),
                instant(Json.string(json, "endAt")),
                SandboxState.of(Json.string(json, "state")),
                Map.copyOf(Json.stringMap(json, "metadata")),
                Json.string(json, "envdVersion"));
    }

    static Instant instant(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return java.time.OffsetDateTime.parse(s).toInstant();
        }
    }
}
