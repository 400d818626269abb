package dev.wrenn.host.guest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes whose guest agent broke the protocol (answered too much, too slowly, or malformed): the sandbox is
 * reported unhealthy with the latest reason, and each reason is logged once. The host agent itself is unaffected:
 * the offending call failed and its connection was dropped. Bounded: the oldest entries are forgotten first.
 */
public final class GuestFaults {
    private static final Logger LOG = LoggerFactory.getLogger(GuestFaults.class);
    private static final int MAX_ENTRIES = 4096;

    private final Map<String, String> reasons = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** Marks {@code sandboxId} unhealthy because of {@code reason}. */
    public void record(String sandboxId, String reason) {
        String previous;
        synchronized (reasons) {
            previous = reasons.put(sandboxId, reason);
        }
        if (!reason.equals(previous)) {
            LOG.warn("guest agent of sandbox {} misbehaved, sandbox marked unhealthy: {}", sandboxId, reason);
        }
    }

    /** Why the sandbox's guest agent is considered unhealthy; empty when it never misbehaved. */
    public Optional<String> reason(String sandboxId) {
        synchronized (reasons) {
            return Optional.ofNullable(reasons.get(sandboxId));
        }
    }

    /** Forgets a destroyed sandbox. */
    public void forget(String sandboxId) {
        synchronized (reasons) {
            reasons.remove(sandboxId);
        }
    }
}
