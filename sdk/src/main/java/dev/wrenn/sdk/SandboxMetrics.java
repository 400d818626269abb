package dev.wrenn.sdk;

import dev.wrenn.sdk.internal.Json;
import java.time.Instant;
import java.util.Map;

/**
 * One sample of a sandbox's resource use ({@link Sandbox#getMetrics()}).
 *
 * @param timestamp when it was taken
 * @param cpuCount virtual CPUs
 * @param cpuUsedPct CPU use in percent
 * @param memUsed memory in use, bytes
 * @param memTotal memory, bytes
 * @param diskUsed disk in use, bytes
 * @param diskTotal disk size, bytes
 */
public record SandboxMetrics(
        Instant timestamp,
        int cpuCount,
        double cpuUsedPct,
        long memUsed,
        long memTotal,
        long diskUsed,
        long diskTotal) {

    static SandboxMetrics fromJson(Map<String, Object> json) {
        Instant at = SandboxInfo.instant(Json.string(json, "timestamp"));
        if (at == null && json.containsKey("timestampUnix")) {
            at = Instant.ofEpochSecond(Json.number(json, "timestampUnix", 0));
        }
        return new SandboxMetrics(
                at,
                (int) Json.number(json, "cpuCount", 0),
                Json.decimal(json, "cpuUsedPct", 0),
                Json.number(json, "memUsed", 0),
                Json.number(json, "memTotal", 0),
                Json.number(json, "diskUsed", 0),
                Json.number(json, "diskTotal", 0));
    }
}
