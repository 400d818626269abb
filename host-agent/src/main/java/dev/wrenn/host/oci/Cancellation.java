package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A build's cancel switch: the RPC's cancel handler calls {@link #cancel()}, which closes whatever stream the build
 * is blocked in (a download, a process) so it returns at once; the build checks {@link #check()} between steps.
 */
public final class Cancellation {
    private final List<Closeable> open = new ArrayList<>();
    private boolean cancelled;

    public static Cancellation none() {
        return new Cancellation();
    }

    public void cancel() {
        List<Closeable> toClose;
        synchronized (this) {
            cancelled = true;
            toClose = new ArrayList<>(open);
            open.clear();
        }
        for (Closeable c : toClose) {
            try {
                c.close();
            } catch (IOException | RuntimeException ignored) {
                // closing is only to wake the build up
            }
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** @throws HostAgentException (UNAVAILABLE, "cancelled") once cancelled */
    public void check() {
        if (isCancelled()) {
            throw new HostAgentException(ErrorCode.UNAVAILABLE, "the build was cancelled");
        }
    }

    /** Closes {@code c} on cancel (at once if already cancelled) until the returned handle is closed. */
    public AutoCloseable closeOnCancel(Closeable c) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                open.add(c);
            }
        }
        if (now) {
            try {
                c.close();
            } catch (IOException ignored) {
                // cancelled anyway
            }
            check();
        }
        return () -> {
            synchronized (this) {
                open.remove(c);
            }
        };
    }
}
