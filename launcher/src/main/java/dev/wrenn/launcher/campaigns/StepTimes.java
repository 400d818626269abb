package dev.wrenn.launcher.campaigns;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Per-step counts, failures and durations of a campaign, in the order the steps first ran. */
final class StepTimes {
    private static final int KEPT_FAILURES = 30;

    private final Map<String, List<Double>> millis = new LinkedHashMap<>();
    private final Map<String, Integer> failures = new LinkedHashMap<>();
    private final List<String> firstFailures = new ArrayList<>();
    private int failureCount;

    synchronized void ok(String step, double ms) {
        millis.computeIfAbsent(step, s -> new ArrayList<>()).add(ms);
    }

    synchronized void failed(String step, String message) {
        failures.merge(step, 1, Integer::sum);
        millis.computeIfAbsent(step, s -> new ArrayList<>());
        failureCount++;
        if (firstFailures.size() < KEPT_FAILURES) {
            firstFailures.add(message);
        }
    }

    /** Runs the step, timing it; a failure is recorded under the step's name and thrown on. */
    <T> T time(String step, Callable<T> work) {
        long start = System.nanoTime();
        try {
            T result = work.call();
            ok(step, (System.nanoTime() - start) / 1e6);
            return result;
        } catch (CampaignFailure e) {
            throw e;
        } catch (Exception e) {
            throw new CampaignFailure(step, e.toString(), e);
        }
    }

    void run(String step, Runnable work) {
        time(step, () -> {
            work.run();
            return null;
        });
    }

    synchronized int failures() {
        return failureCount;
    }

    synchronized void print(PrintStream out) {
        out.printf("  %-22s %7s %7s %9s %9s %9s%n", "step", "ok", "failed", "p50 ms", "p99 ms", "max ms");
        millis.forEach((step, values) -> {
            Latencies l = Latencies.of(values);
            out.printf(
                    "  %-22s %7d %7d %9.0f %9.0f %9.0f%n",
                    step, values.size(), failures.getOrDefault(step, 0), l.p50(), l.p99(), l.max());
        });
        if (!firstFailures.isEmpty()) {
            out.println("  failures (first " + firstFailures.size() + "):");
            firstFailures.forEach(f -> out.println("    " + f));
        }
    }
}
