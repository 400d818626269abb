package dev.wrenn.control.e2b;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends E2B sandboxes whose time is up: kills them, or pauses those created with {@code autoPause}. The proxy refuses
 * an expired sandbox's traffic at once; this frees its VM within one interval.
 */
public final class TimeoutScheduler implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(TimeoutScheduler.class);

    private final E2bSandboxes sandboxes;
    private final LifecycleRepository lifecycles;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public TimeoutScheduler(E2bSandboxes sandboxes, LifecycleRepository lifecycles, Clock clock) {
        this.sandboxes = sandboxes;
        this.lifecycles = lifecycles;
        this.clock = clock;
    }

    public TimeoutScheduler start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("e2b-timeouts").daemon(true).factory());
        timer.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: every running sandbox past its end is killed or paused; returns how many were. */
    public int runOnce() {
        int ended = 0;
        for (LifecycleRepository.Due due : lifecycles.dueRunning(clock.instant())) {
            try {
                sandboxes.expire(due);
                ended++;
            } catch (RuntimeException e) {
                LOG.warn(
                        "ending sandbox {} at its timeout ({}) failed: {}",
                        due.lifecycle().sandboxId(),
                        due.lifecycle().onTimeout().wireName(),
                        e.getMessage());
            }
        }
        return ended;
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("the E2B timeout pass failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                // A pass may be in a host agent call; it ends with that call's own deadline.
                if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
                    LOG.warn("the E2B timeout pass did not stop within 2 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
