package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.wrenn.guest.http.metrics.HostMetrics;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricsTest extends GuestServerFixture {

    @Test
    void metricsReportCpuMemoryAndDisk() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        Struct.Builder parsed = Struct.newBuilder();
        JsonFormat.parser().merge(response.body(), parsed);
        var fields = parsed.getFieldsMap();
        assertThat(fields.keySet())
                .containsExactlyInAnyOrder(
                        "ts",
                        "cpu_count",
                        "cpu_used_pct",
                        "mem_total",
                        "mem_used",
                        "mem_cache",
                        "mem_total_mib",
                        "mem_used_mib",
                        "disk_used",
                        "disk_total");
        assertThat(fields.get("ts").getNumberValue())
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
        long processors = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("processor"))
                .count();
        assertThat(fields.get("cpu_count").getNumberValue()).isEqualTo((double) processors);
        assertThat(fields.get("cpu_used_pct").getNumberValue()).isBetween(0.0, 100.0);
        assertThat(fields.get("mem_total").getNumberValue())
                .isGreaterThan(fields.get("mem_used").getNumberValue());
        assertThat(fields.get("mem_total_mib").getNumberValue())
                .isEqualTo(Math.floor(fields.get("mem_total").getNumberValue() / (1024 * 1024)));
        assertThat(fields.get("disk_total").getNumberValue())
                .isGreaterThan(fields.get("disk_used").getNumberValue());
        assertThat(fields.get("disk_used").getNumberValue()).isPositive();
    }

    @Test
    void integersAreWrittenWithoutAFraction() throws Exception {
        assertThat(get("/metrics").body()).containsPattern("\"mem_total\":\\d+,");
    }

    @Test
    void cpuUseOfASyntheticProcStatIsTheBusyShare() {
        var before = HostMetrics.CpuTimes.parse(java.util.List.of("cpu  100 0 100 700 100 0 0 0 0 0"));
        var after = HostMetrics.CpuTimes.parse(java.util.List.of("cpu  160 0 120 780 140 0 0 0 0 0"));

        // 200 jiffies passed, 120 of them idle or iowait: 40% busy.
        assertThat(after.busySince(before)).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
    }
}
