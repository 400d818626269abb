package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.control.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsRangeTest {
    private static final Instant T0 = Instant.ofEpochSecond(1_800_000_000L);

    private static MetricSample sample(long offsetSec, double cpu, long mem) {
        return new MetricSample(T0.plusSeconds(offsetSec), 2, cpu, mem, 1000, 10, 5, 100);
    }

    @Test
    void absentEndsAreTheFirstAndLastSample() {
        MetricsRange range = MetricsRange.of(null, null, T0, T0.plusSeconds(60));
        assertThat(range.start()).isEqualTo(T0);
        assertThat(range.end()).isEqualTo(T0.plusSeconds(60));

        MetricsRange given = MetricsRange.of(T0.getEpochSecond() + 10, null, T0, T0.plusSeconds(60));
        assertThat(given.start()).isEqualTo(T0.plusSeconds(10));
        assertThat(given.end()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aStartAfterTheEndIsA400() {
        assertThatThrownBy(() -> MetricsRange.of(T0.getEpochSecond() + 1, T0.getEpochSecond(), T0, T0))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("Invalid time range for metrics");
    }

    @Test
    void theStepGrowsWithTheRangeAsE2bs() {
        assertThat(rangeOf(Duration.ofMinutes(59)).step()).isEqualTo(Duration.ofSeconds(5));
        assertThat(rangeOf(Duration.ofHours(1)).step()).isEqualTo(Duration.ofSeconds(30));
        assertThat(rangeOf(Duration.ofHours(6)).step()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rangeOf(Duration.ofHours(12)).step()).isEqualTo(Duration.ofMinutes(2));
        assertThat(rangeOf(Duration.ofDays(1)).step()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rangeOf(Duration.ofDays(7)).step()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void samplesOutsideTheRangeAreLeftOutAndEachBucketTakesEachMetricsMaximum() {
        MetricsRange range = MetricsRange.of(T0.getEpochSecond() + 5, T0.getEpochSecond() + 19, T0, T0);
        List<MetricSample> out = range.downsample(List.of(
                sample(0, 99, 99), // before the range
                sample(5, 10, 7),
                sample(7, 30, 3), // same 5 s bucket as +5: max of each field
                sample(15, 20, 1),
                sample(20, 99, 99))); // after the range

        assertThat(out).hasSize(2);
        assertThat(out.get(0).at()).isEqualTo(T0.plusSeconds(5));
        assertThat(out.get(0).cpuUsedPct()).isEqualTo(30);
        assertThat(out.get(0).memUsed()).isEqualTo(7);
        assertThat(out.get(1).at()).isEqualTo(T0.plusSeconds(15));
        assertThat(out.get(1).cpuUsedPct()).isEqualTo(20);
    }

    private static MetricsRange rangeOf(Duration length) {
        return MetricsRange.of(T0.getEpochSecond(), T0.plus(length).getEpochSecond(), T0, T0);
    }
}
