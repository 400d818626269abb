package dev.wrenn.launcher.campaigns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of a set of durations in milliseconds. */
record Latencies(int count, double p50, double p99, double max) {
    static Latencies of(List<Double> values) {
        if (values.isEmpty()) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new Latencies(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.99), sorted.getLast());
    }

    private static double rank(List<Double> sorted, double q) {
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    @Override
    public String toString() {
        return "n=%d p50 %.0f ms, p99 %.0f ms, max %.0f ms".formatted(count, p50, p99, max);
    }
}
