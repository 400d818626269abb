package dev.wrenn.connect.server;

import java.time.Duration;

/**
 * Runs an action when a call's deadline passes, unless closed first. A sleeping virtual thread per call is cheaper
 * than it sounds and needs no shared scheduler to shut down.
 */
final class DeadlineWatch implements AutoCloseable {
    private final Thread thread;
    private boolean sleeping = true;
    private boolean closed;

    private DeadlineWatch(Duration timeout, Runnable onExpiry) {
        this.thread = Thread.ofVirtual().name("connect-deadline").unstarted(() -> await(timeout, onExpiry));
    }

    static DeadlineWatch start(Duration timeout, Runnable onExpiry) {
        DeadlineWatch watch = new DeadlineWatch(timeout, onExpiry);
        watch.thread.start();
        return watch;
    }

    private void await(Duration timeout, Runnable onExpiry) {
        try {
            Thread.sleep(timeout);
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            sleeping = false;
        }
        onExpiry.run();
    }

    /** Stops the watch. Interrupts only a sleeping thread: an interrupt during socket I/O would close the socket. */
    @Override
    public synchronized void close() {
        closed = true;
        if (sleeping) {
            thread.interrupt();
        }
    }
}
