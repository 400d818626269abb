package dev.wrenn.host.guest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One sample of the guest's {@code GET /metrics}: envd's names, memory in bytes, CPU use 0–100 over all CPUs.
 *
 * @param at when the guest took it (the guest reports whole seconds)
 */
public record GuestMetrics(
        Instant at,
        int cpuCount,
        double cpuUsedPct,
        long memUsed,
        long memTotal,
        long memCache,
        long diskUsed,
        long diskTotal) {

    static GuestMetrics fromJson(JsonNode body) {
        return new GuestMetrics(
                Instant.ofEpochSecond(required(body, "ts").asLong()),
                required(body, "cpu_count").asInt(),
                required(body, "cpu_used_pct").asDouble(),
                required(body, "mem_used").asLong(),
                required(body, "mem_total").asLong(),
                body.path("mem_cache").asLong(0),
                body.path("disk_used").asLong(0),
                body.path("disk_total").asLong(0));
    }

    private static JsonNode required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("metrics field `" + field + "` is missing or not a number: " + body);
        }
        return value;
    }
}
