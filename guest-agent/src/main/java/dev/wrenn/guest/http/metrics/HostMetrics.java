package dev.wrenn.guest.http.metrics;

import dev.wrenn.guest.http.transport.JsonText;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * GET /metrics: CPU, memory and root-disk usage of the guest, from /proc/stat, /proc/meminfo and the root file
 * store. CPU use is measured since the previous call; the first call (or one too soon after the last to see any
 * tick) measures over a short sample instead.
 */
public final class HostMetrics {
    private static final long MIB = 1024 * 1024;
    private static final long SAMPLE_MILLIS = 100;

    /** The metrics body; names are envd's. */
    public record Snapshot(
            long ts,
            int cpuCount,
            double cpuUsedPct,
            long memTotal,
            long memUsed,
            long memCache,
            long memTotalMib,
            long memUsedMib,
            long diskUsed,
            long diskTotal) {
        public Map<String, Object> toJson() {
            return JsonText.object(
                    "ts", ts,
                    "cpu_count", cpuCount,
                    "cpu_used_pct", cpuUsedPct,
                    "mem_total", memTotal,
                    "mem_used", memUsed,
                    "mem_cache", memCache,
                    "mem_total_mib", memTotalMib,
                    "mem_used_mib", memUsedMib,
                    "disk_used", diskUsed,
                    "disk_total", diskTotal);
        }
    }

    private final Path proc;
    private final Path disk;
    private final InstantSource clock;
    private CpuTimes lastCpu;

    public HostMetrics(Path proc, Path disk, InstantSource clock) {
        this.proc = proc;
        this.disk = disk;
        this.clock = clock;
    }

    public synchronized Snapshot sample() throws IOException {
        List<String> stat = Files.readAllLines(proc.resolve("stat"));
        MemInfo mem = MemInfo.parse(Files.readAllLines(proc.resolve("meminfo")));
        FileStore store = Files.getFileStore(disk);
        long diskTotal = store.getTotalSpace();
        return new Snapshot(
                clock.instant().getEpochSecond(),
                (int) stat.stream().filter(line -> line.matches("cpu\\d+ .*")).count(),
                cpuUsedPercent(stat),
                mem.total(),
                mem.used(),
                mem.cached(),
                mem.total() / MIB,
                mem.used() / MIB,
                diskTotal - store.getUnallocatedSpace(),
                diskTotal);
    }

    private double cpuUsedPercent(List<String> stat) throws IOException {
        CpuTimes now = CpuTimes.parse(stat);
        if (lastCpu == null || now.total() == lastCpu.total()) {
            lastCpu = now;
            sleepForSample();
            now = CpuTimes.parse(Files.readAllLines(proc.resolve("stat")));
        }
        double busy = now.busySince(lastCpu);
        lastCpu = now;
        return Math.round(busy * 10_000) / 100.0;
    }

    private static void sleepForSample() throws IOException {
        try {
            Thread.sleep(SAMPLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sampling CPU use", e);
        }
    }

    /** Aggregate jiffies of the "cpu" line; guest time is already counted in user time, so it is left out. */
    public record CpuTimes(long total, long idle) {
        public static CpuTimes parse(List<String> stat) {
            String line = stat.stream()
                    .filter(l -> l.startsWith("cpu "))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("/proc/stat has no aggregate cpu line"));
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new CpuTimes(total, idle);
        }

        /** The busy fraction (0..1) between {@code earlier} and this sample. */
        public double busySince(CpuTimes earlier) {
            long total = this.total - earlier.total;
            if (total <= 0) {
                return 0;
            }
            return Math.clamp(1.0 - (double) (idle - earlier.idle) / total, 0.0, 1.0);
        }
    }

    /** The /proc/meminfo values, in bytes; "used" is what is not available to new programs. */
    record MemInfo(long total, long available, long cached) {
        long used() {
            return total - available;
        }

        static MemInfo parse(List<String> lines) {
            return new MemInfo(kib(lines, "MemTotal"), kib(lines, "MemAvailable"), kib(lines, "Cached"));
        }

        private static long kib(List<String> lines, String key) {
            return lines.stream()
                    .filter(line -> line.startsWith(key + ":"))
                    .map(line -> line.substring(key.length() + 1).trim().split("\\s+")[0])
                    .map(value -> Long.parseLong(value) * 1024)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("/proc/meminfo has no " + key));
        }
    }
}
