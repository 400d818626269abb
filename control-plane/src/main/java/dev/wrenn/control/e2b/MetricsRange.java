package dev.wrenn.control.e2b;

import dev.wrenn.control.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A {@code GET /sandboxes/{id}/metrics?start=&end=} range and its downsampling, as E2B's API does it: an absent end
 * of the range is the sandbox's first or last sample; samples are grouped into buckets of a step that grows with the
 * range (fewer than 1000 points), each bucket answering each metric's maximum at the bucket's start.
 */
record MetricsRange(Instant start, Instant end) {

    /** Unix seconds from the query, each optional; {@code first}/{@code last} fill what is absent. */
    static MetricsRange of(Long startSec, Long endSec, Instant first, Instant last) {
        if ((startSec != null && startSec < 0) || (endSec != null && endSec < 0)) {
            throw ApiException.invalid("start and end are Unix timestamps in seconds, not negative");
        }
        Instant start = startSec != null ? Instant.ofEpochSecond(startSec) : first;
        Instant end = endSec != null ? Instant.ofEpochSecond(endSec) : last;
        if (start.isAfter(end)) {
            throw ApiException.invalid("Invalid time range for metrics: start time cannot be after end time");
        }
        return new MetricsRange(start, end);
    }

    /** E2B's step for a range (clickhouse utils CalculateStep). */
    Duration step() {
        Duration range = Duration.between(start, end);
        if (range.compareTo(Duration.ofHours(1)) < 0) {
            return Duration.ofSeconds(5);
        } else if (range.compareTo(Duration.ofHours(6)) < 0) {
            return Duration.ofSeconds(30);
        } else if (range.compareTo(Duration.ofHours(12)) < 0) {
            return Duration.ofMinutes(1);
        } else if (range.compareTo(Duration.ofHours(24)) < 0) {
            return Duration.ofMinutes(2);
        } else if (range.compareTo(Duration.ofDays(7)) < 0) {
            return Duration.ofMinutes(5);
        }
        return Duration.ofMinutes(15);
    }

    /** The samples within the range (both ends included), in buckets of {@link #step()}, oldest first. */
    List<MetricSample> downsample(List<MetricSample> samples) {
        long stepSec = step().toSeconds();
        TreeMap<Long, MetricSample> buckets = new TreeMap<>();
        for (MetricSample sample : samples) {
            if (sample.at().isBefore(start) || sample.at().isAfter(end)) {
                continue;
            }
            long bucket = Math.floorDiv(sample.at().getEpochSecond(), stepSec) * stepSec;
            Instant at = Instant.ofEpochSecond(bucket);
            buckets.merge(bucket, sample.at(at), (a, b) -> a.max(b, at));
        }
        return new ArrayList<>(buckets.values());
    }
}
