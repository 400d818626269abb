package dev.wrenn.bench;

import java.util.Arrays;

/** Timings of repeated runs of one operation, in nanoseconds, with the percentiles the tables report. */
final class Samples {
    private final long[] nanos;

    Samples(long[] nanos) {
        this.nanos = nanos.clone();
        Arrays.sort(this.nanos);
    }

    static Samples of(int runs, Timed operation) throws Exception {
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            operation.run();
            nanos[i] = System.nanoTime() - start;
        }
        return new Samples(nanos);
    }

    double percentileMillis(double p) {
        int index = (int) Math.ceil(p / 100.0 * nanos.length) - 1;
        return nanos[Math.max(0, Math.min(nanos.length - 1, index))] / 1e6;
    }

    double medianMillis() {
        return percentileMillis(50);
    }

    @FunctionalInterface
    interface Timed {
        void run() throws Exception;
    }
}
