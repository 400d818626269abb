package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.HostAgentException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses running sandboxes with {@code timeout_sec > 0} that had no activity (ping, exec, file calls) for that long,
 * checking every tick on a thread of its own, detached from any request. A sandbox whose pause fails is destroyed,
 * unless the failure already left it FAILED with a reason. The ids it paused are kept until {@link #drain()}, which
 * ListSandboxes calls, so the control plane's reconciler marks them paused rather than stopped.
 */
final class InactivityReaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InactivityReaper.class);

    private final SandboxManager manager;
    private final Duration tick;
    private final List<String> autoPaused = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    private InactivityReaper(SandboxManager manager, Duration tick) {
        this.manager = manager;
        this.tick = tick;
        this.thread = Thread.ofVirtual().name("inactivity-reaper").unstarted(this::loop);
    }

    static InactivityReaper start(SandboxManager manager, Duration tick) {
        InactivityReaper reaper = new InactivityReaper(manager, tick);
        reaper.thread.start();
        return reaper;
    }

    synchronized List<String> drain() {
        List<String> ids = List.copyOf(autoPaused);
        autoPaused.clear();
        return ids;
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            for (String id : manager.idleAt(Instant.now())) {
                if (stopped) {
                    return;
                }
                reap(id);
            }
        }
    }

    private void reap(String id) {
        try {
            manager.pause(id);
            synchronized (this) {
                autoPaused.add(id);
            }
            log.info("sandbox {} paused after its inactivity timeout", id);
        } catch (HostAgentException e) {
            if (!stillExists(id)) {
                return; // destroyed meanwhile
            }
            log.warn(
                    "sandbox {}: pausing it after its inactivity timeout failed, destroying it: {}",
                    id,
                    e.getMessage());
            try {
                manager.destroy(id);
            } catch (HostAgentException destroyFailure) {
                log.warn("sandbox {}: destroying it failed too: {}", id, destroyFailure.getMessage());
            }
        }
    }

    private boolean stillExists(String id) {
        try {
            manager.get(id);
            return true;
        } catch (HostAgentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
