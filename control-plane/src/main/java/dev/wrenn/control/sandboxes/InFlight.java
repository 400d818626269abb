package dev.wrenn.control.sandboxes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandboxes this process is creating or resuming right now, from before their row is written until the row
 * says how it ended. The reconciler leaves these alone and settles every other pending (or paused-but-running) row
 * as a leftover of a control plane that stopped mid-call. Process-wide on purpose: the /v1 and E2B services are
 * separate objects over the same rows, and a restarted process has, rightly, nothing in flight.
 */
public final class InFlight {
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    private InFlight() {}

    /** Marks {@code sandboxId} busy until the returned handle is closed; calls may overlap. */
    public static Call begin(String sandboxId) {
        CALLS.computeIfAbsent(sandboxId, id -> new AtomicInteger()).incrementAndGet();
        return new Call(sandboxId);
    }

    public static boolean contains(String sandboxId) {
        return CALLS.containsKey(sandboxId);
    }

    /** One call in flight; closing it twice is harmless. */
    public static final class Call implements AutoCloseable {
        private final String sandboxId;
        private boolean closed;

        private Call(String sandboxId) {
            this.sandboxId = sandboxId;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            CALLS.computeIfPresent(sandboxId, (id, count) -> count.decrementAndGet() == 0 ? null : count);
        }
    }
}
