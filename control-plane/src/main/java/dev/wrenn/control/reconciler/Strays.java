package dev.wrenn.control.reconciler;

import dev.wrenn.control.db.Sandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * VMs on the host with no live row. One whose row has ended (stopped, error: e.g. a create the control plane gave up
 * on while the host finished it) goes at once: the database already says it is over. One the database does not know
 * at all goes once it has been seen for a grace period, since a row is always written before its VM is created and
 * a missing one may only mean the rows were read a moment before an insert. Remembers when each was first seen.
 */
final class Strays {
    private final Duration grace;
    private final Map<String, Instant> firstSeen = new HashMap<>();

    Strays(Duration grace) {
        this.grace = grace;
    }

    /** What to do with one VM this pass. */
    enum Verdict {
        KEEP,
        DESTROY_ENDED,
        DESTROY_UNKNOWN
    }

    Duration grace() {
        return grace;
    }

    /** Forgets VMs the host no longer lists. */
    void retain(Set<String> listed) {
        firstSeen.keySet().retainAll(listed);
    }

    /** {@code row} is the VM's row as read now, empty if there is none. */
    Verdict judge(String vmId, Optional<Sandbox> row, Instant now) {
        if (row.isPresent() && !row.get().status().isEnded()) {
            firstSeen.remove(vmId);
            return Verdict.KEEP; // a live row: the row rules settle it
        }
        if (row.isPresent()) {
            firstSeen.remove(vmId);
            return Verdict.DESTROY_ENDED;
        }
        Instant seen = firstSeen.computeIfAbsent(vmId, id -> now);
        if (Duration.between(seen, now).compareTo(grace) < 0) {
            return Verdict.KEEP;
        }
        firstSeen.remove(vmId);
        return Verdict.DESTROY_UNKNOWN;
    }
}
