package dev.wrenn.control.e2b;

import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One metrics sample of a sandbox, as stored in {@code sandbox_metrics} and answered in E2B's SandboxMetric shape. */
record MetricSample(
        Instant at,
        int cpuCount,
        double cpuUsedPct,
        long memUsed,
        long memTotal,
        long memCache,
        long diskUsed,
        long diskTotal) {

    /**
     * A sample taken {@code at} by the control plane's clock: the guest's own timestamp is not used, a guest is
     * hostile and its clock may be anything (a far-future time would never leave the retention), as E2B stamps
     * samples on the host.
     */
    static MetricSample of(GetMetricsResponse sample, Instant at) {
        return new MetricSample(
                at,
                sample.getCpuCount(),
                sample.getCpuUsedPct(),
                sample.getMemUsedBytes(),
                sample.getMemTotalBytes(),
                sample.getMemCacheBytes(),
                sample.getDiskUsedBytes(),
                sample.getDiskTotalBytes());
    }

    /** The larger of each field, at {@code at}: E2B's bucket of a range query takes each metric's max. */
    MetricSample max(MetricSample other, Instant at) {
        return new MetricSample(
                at,
                Math.max(cpuCount, other.cpuCount),
                Math.max(cpuUsedPct, other.cpuUsedPct),
                Math.max(memUsed, other.memUsed),
                Math.max(memTotal, other.memTotal),
                Math.max(memCache, other.memCache),
                Math.max(diskUsed, other.diskUsed),
                Math.max(diskTotal, other.diskTotal));
    }

    MetricSample at(Instant bucket) {
        return new MetricSample(bucket, cpuCount, cpuUsedPct, memUsed, memTotal, memCache, diskUsed, diskTotal);
    }

    /** E2B's {@code SandboxMetric}: the deprecated RFC 3339 {@code timestamp} and {@code timestampUnix} (seconds). */
    Map<String, Object> json() {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("timestamp", at.toString());
        metric.put("timestampUnix", at.getEpochSecond());
        metric.put("cpuCount", cpuCount);
        metric.put("cpuUsedPct", cpuUsedPct);
        metric.put("memUsed", memUsed);
        metric.put("memTotal", memTotal);
        metric.put("memCache", memCache);
        metric.put("diskUsed", diskUsed);
        metric.put("diskTotal", diskTotal);
        return metric;
    }
}
