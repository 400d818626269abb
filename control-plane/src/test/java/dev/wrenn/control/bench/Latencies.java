package dev.wrenn.control.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds, summarised as the benchmark tables print them. */
final class Latencies {
    private final long[] nanos;
    private int count;

    Latencies(int capacity) {
        nanos = new long[capacity];
    }

    synchronized void add(long sample) {
        nanos[count++] = sample;
    }

    synchronized double percentileMs(double p) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
        return sorted[index] / 1e6;
    }

    synchronized int count() {
        return count;
    }

    String summary() {
        return String.format(
                Locale.ROOT,
                "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms",
                count(),
                percentileMs(50),
                percentileMs(90),
                percentileMs(99),
                percentileMs(100));
    }
}
