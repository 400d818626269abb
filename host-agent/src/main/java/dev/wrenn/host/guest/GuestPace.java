package dev.wrenn.host.guest;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How much slower than normal guests answer right now. Guests run under QEMU (under TCG, emulated): when the host's
 * CPUs are oversubscribed every guest slows down by about the load per core, so a deadline that is generous for a
 * guest on an idle host fails a healthy guest on a loaded one (a process start measured at over 10 s at a load of 22
 * on 2 cores). Deadlines for the guest's answers are therefore its base value times this factor: at least 1, at most
 * {@link #MAX_FACTOR} so that a hostile guest still cannot hold a call forever.
 */
public final class GuestPace {
    /** A load per core this high already means minutes per answer; beyond it the guest is not waited for longer. */
    public static final double MAX_FACTOR = 30;

    private static final long SAMPLE_NANOS = 1_000_000_000L;

    private final DoubleSupplier loadPerCore;
    private volatile double factor = 1;
    private volatile long sampledAt = Long.MIN_VALUE;

    /** @param loadPerCore the host's run-queue length per CPU (the 1-minute load average over the CPU count) */
    public GuestPace(DoubleSupplier loadPerCore) {
        this.loadPerCore = loadPerCore;
    }

    /** The host's 1-minute load average per available processor. */
    public static GuestPace ofHost() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return new GuestPace(() -> os.getSystemLoadAverage() / Math.max(1, os.getAvailableProcessors()));
    }

    /** A pace that never scales (for tests of fixed deadlines). */
    public static GuestPace fixed() {
        return new GuestPace(() -> 1);
    }

    /** The slow-down factor now, in [1, MAX_FACTOR]; the load is read at most once a second. */
    public double factor() {
        long now = System.nanoTime();
        if (sampledAt == Long.MIN_VALUE || now - sampledAt > SAMPLE_NANOS) {
            double load = loadPerCore.getAsDouble();
            // A negative (unknown) or NaN load leaves the factor at 1: no information is no slow-down.
            factor = Double.isFinite(load) ? Math.clamp(load, 1, MAX_FACTOR) : 1;
            sampledAt = now;
        }
        return factor;
    }

    /** {@code base} times the factor now. */
    public Duration scale(Duration base) {
        return Duration.ofMillis(Math.round(base.toMillis() * factor()));
    }
}
