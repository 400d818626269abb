package dev.wrenn.host;

import dev.wrenn.host.sandbox.SandboxManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the base template of the default sandbox shape ready, so that no user's create pays for making it: once at
 * start (the first start on a data directory boots and snapshots a guest, about 20 s under TCG), then every
 * {@code recheck} so that a rebuilt guest image ({@code images/current} switched to a new version) gets its base
 * template before the next create asks for it. A failure is logged and tried again at the next check; creates still
 * work meanwhile (they make the template themselves, or cold-boot).
 */
final class BaseWarmer {
    private static final Logger log = LoggerFactory.getLogger(BaseWarmer.class);

    private final SandboxManager manager;
    private final int vcpus;
    private final int memoryMb;
    private final CompletableFuture<String> first = new CompletableFuture<>();
    private volatile Thread thread;

    BaseWarmer(SandboxManager manager, int vcpus, int memoryMb) {
        this.manager = manager;
        this.vcpus = vcpus;
        this.memoryMb = memoryMb;
    }

    /** Completes with the template's name once the first check has made (or found) it, or with its failure. */
    CompletableFuture<String> first() {
        return first;
    }

    synchronized void start(Duration recheck) {
        if (thread != null) {
            return;
        }
        thread = Thread.ofVirtual().name("base-warmer").start(() -> run(recheck));
    }

    void stop() {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    private void run(Duration recheck) {
        while (!Thread.currentThread().isInterrupted()) {
            ensureOnce();
            try {
                Thread.sleep(recheck);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void ensureOnce() {
        try {
            boolean existed = manager.hasBase(vcpus, memoryMb);
            long started = System.nanoTime();
            String name = manager.prewarmBase(vcpus, memoryMb);
            if (!existed) {
                log.info(
                        "base template {} ready ahead of need in {} ms",
                        name,
                        (System.nanoTime() - started) / 1_000_000);
            }
            first.complete(name);
        } catch (RuntimeException e) {
            log.warn(
                    "making the base template ({} vCPUs, {} MiB) ahead of need failed: {}",
                    vcpus,
                    memoryMb,
                    e.getMessage());
            first.completeExceptionally(e);
        }
    }
}
