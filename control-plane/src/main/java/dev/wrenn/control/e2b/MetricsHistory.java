package dev.wrenn.control.e2b;

import dev.wrenn.control.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code sandbox_metrics} table: each sandbox's samples for E2B's metrics history, kept {@link #RETENTION}. */
public final class MetricsHistory {
    /** E2B's interval between two samples of a sandbox (the orchestrator's sandboxMetricExportPeriod). */
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    /** E2B's retention of sandbox metrics (the sandbox_metrics table's 7-day TTL). */
    public static final Duration RETENTION = Duration.ofDays(7);

    private final Database database;

    public MetricsHistory(Database database) {
        this.database = database;
    }

    /** Stores a sample; a second one at the same millisecond is dropped (a live read racing the sampler). */
    void record(String sandboxId, MetricSample s) {
        recordAll(Map.of(sandboxId, s));
    }

    /** Stores one pass's samples in one transaction: one write per pass, not one per sandbox. */
    void recordAll(Map<String, MetricSample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        database.jdbi().useTransaction(h -> samples.forEach((sandboxId, s) -> insert(h, sandboxId, s)));
    }

    private static void insert(org.jdbi.v3.core.Handle h, String sandboxId, MetricSample s) {
        h.createUpdate("INSERT INTO sandbox_metrics (sandbox_id, at_ms, cpu_count,"
                        + " cpu_used_pct, mem_used, mem_total, mem_cache, disk_used, disk_total)"
                        + " VALUES (:id, :at, :cpuCount, :cpuUsedPct, :memUsed, :memTotal, :memCache,"
                        + " :diskUsed, :diskTotal) ON CONFLICT (sandbox_id, at_ms) DO NOTHING")
                .bind("id", sandboxId)
                .bind("at", s.at().toEpochMilli())
                .bind("cpuCount", s.cpuCount())
                .bind("cpuUsedPct", s.cpuUsedPct())
                .bind("memUsed", s.memUsed())
                .bind("memTotal", s.memTotal())
                .bind("memCache", s.memCache())
                .bind("diskUsed", s.diskUsed())
                .bind("diskTotal", s.diskTotal())
                .execute();
    }

    /** The sandbox's first and last sample times, if it has any. */
    Optional<Instant[]> span(String sandboxId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT MIN(at_ms) AS first, MAX(at_ms) AS last FROM sandbox_metrics"
                                + " WHERE sandbox_id = :id")
                        .bind("id", sandboxId)
                        .map((rs, ctx) -> rs.getObject("first") == null
                                ? null
                                : new Instant[] {
                                    Instant.ofEpochMilli(rs.getLong("first")), Instant.ofEpochMilli(rs.getLong("last"))
                                })
                        .findOne());
    }

    /** The samples from {@code start} to {@code end} (whole seconds, both included), oldest first. */
    List<MetricSample> between(String sandboxId, Instant start, Instant end) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM sandbox_metrics WHERE sandbox_id = :id"
                                + " AND at_ms >= :start AND at_ms < :end ORDER BY at_ms")
                        .bind("id", sandboxId)
                        .bind("start", start.getEpochSecond() * 1000)
                        .bind("end", (end.getEpochSecond() + 1) * 1000)
                        .map((rs, ctx) -> sample(rs))
                        .list());
    }

    /** The newest sample of each of {@code sandboxIds} that has one. */
    Map<String, MetricSample> latest(Collection<String> sandboxIds) {
        Map<String, MetricSample> latest = new LinkedHashMap<>();
        if (sandboxIds.isEmpty()) {
            return latest;
        }
        database.jdbi()
                .useHandle(h -> h.createQuery("SELECT m.* FROM sandbox_metrics m JOIN (SELECT sandbox_id,"
                                + " MAX(at_ms) AS at_ms FROM sandbox_metrics WHERE sandbox_id IN (<ids>)"
                                + " GROUP BY sandbox_id) newest ON newest.sandbox_id = m.sandbox_id"
                                + " AND newest.at_ms = m.at_ms")
                        .bindList("ids", List.copyOf(sandboxIds))
                        .map((rs, ctx) -> Map.entry(rs.getString("sandbox_id"), sample(rs)))
                        .forEach(e -> latest.put(e.getKey(), e.getValue())));
        return latest;
    }

    /** Deletes samples older than the retention; returns how many. */
    int prune(Instant now) {
        return database.jdbi()
                .withHandle(h -> h.createUpdate("DELETE FROM sandbox_metrics WHERE at_ms < :before")
                        .bind("before", now.minus(RETENTION).toEpochMilli())
                        .execute());
    }

    private static MetricSample sample(ResultSet rs) throws SQLException {
        return new MetricSample(
                Instant.ofEpochMilli(rs.getLong("at_ms")),
                rs.getInt("cpu_count"),
                rs.getDouble("cpu_used_pct"),
                rs.getLong("mem_used"),
                rs.getLong("mem_total"),
                rs.getLong("mem_cache"),
                rs.getLong("disk_used"),
                rs.getLong("disk_total"));
    }
}
