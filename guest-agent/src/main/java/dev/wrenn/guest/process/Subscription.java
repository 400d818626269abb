package dev.wrenn.guest.process;

import dev.wrenn.protocol.envd.process.ProcessEvent;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One stream's queue of a process's events. The output pump only enqueues, so a slow client never stalls the
 * process's output; the stream's own thread takes events off and writes them to its client.
 */
final class Subscription {
    /** Not a real event: {@link #wake} enqueues it so a waiting stream re-checks cancellation. */
    static final ProcessEvent WAKE_UP = ProcessEvent.getDefaultInstance();

    // Never wait less: a deadline a hair away must not turn the stream's loop into a busy spin.
    private static final long MIN_WAIT_NANOS = 1_000_000;

    private final LinkedBlockingQueue<ProcessEvent> events = new LinkedBlockingQueue<>();

    void offer(ProcessEvent event) {
        events.add(event);
    }

    void wake() {
        events.add(WAKE_UP);
    }

    /** The next event, {@link #WAKE_UP}, or null when {@code nanos} pass first. */
    ProcessEvent poll(long nanos) throws InterruptedException {
        return events.poll(Math.max(nanos, MIN_WAIT_NANOS), TimeUnit.NANOSECONDS);
    }
}
