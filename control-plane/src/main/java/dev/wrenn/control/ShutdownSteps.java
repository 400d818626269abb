package dev.wrenn.control;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shutdown steps in order against one deadline: a step that is still running when the deadline comes (a
 * stream that never ends, an unreachable host agent) is logged and left behind, and the next step starts, so the
 * steps that must happen (the database closed) always do and stopping never hangs.
 */
final class ShutdownSteps {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSteps.class);

    private final long deadlineNanos;

    ShutdownSteps(Duration budget) {
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    /** Runs {@code step} and waits for it until the deadline (at least a moment, so every step gets its chance). */
    void run(String name, Runnable step) {
        Thread thread = Thread.ofVirtual().name("shutdown-" + name).start(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warn("shutdown: {} failed: {}", name, e.getMessage());
            }
        });
        long left = Math.max(deadlineNanos - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100));
        try {
            if (!thread.join(Duration.ofNanos(left))) {
                LOG.warn("shutdown: {} did not finish before the deadline; going on without it", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
