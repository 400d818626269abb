package dev.wrenn.guest.process;

import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.Posix;
import dev.wrenn.guest.process.sys.SpawnSpec;
import dev.wrenn.guest.process.sys.Spawner;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The children the process service spawned and will reap itself. The {@link OrphanReaper} must leave these alone:
 * reaping one would steal its exit status. Spawning and the reaper's check-then-reap share one lock so a child
 * cannot exit and be reaped by the reaper before it is registered here.
 */
final class SpawnedChildren {
    private final Set<Integer> owned = new HashSet<>();

    synchronized int spawn(SpawnSpec spec) throws ErrnoException {
        int pid = Spawner.spawn(spec);
        owned.add(pid);
        return pid;
    }

    /** Reaps {@code pid} without blocking (WNOHANG); empty while it still runs. */
    OptionalInt tryReap(int pid) throws ErrnoException {
        OptionalInt status = Posix.waitpid(pid, Posix.WNOHANG);
        if (status.isPresent()) {
            release(pid);
        }
        return status;
    }

    /** Blocks until {@code pid} exits and reaps it. Call from a platform thread only. */
    int reap(int pid) throws ErrnoException {
        int status = Posix.waitpid(pid, 0).orElseThrow();
        release(pid);
        return status;
    }

    private synchronized void release(int pid) {
        owned.remove(pid);
    }

    /** Reaps {@code pid} if it is a zombie nobody here owns; true when it was reaped. */
    synchronized boolean reapIfOrphan(int pid) {
        if (owned.contains(pid)) {
            return false;
        }
        try {
            return Posix.waitpid(pid, Posix.WNOHANG).isPresent();
        } catch (ErrnoException e) {
            return false; // ECHILD: someone else (the JDK) reaped it first
        }
    }
}
