package dev.wrenn.host.guest;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.error.RetryLaterException;
import dev.wrenn.host.net.Ipv4;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of process starts into guests: each guest is sent at most {@link Config#inFlightPerGuest} starts at once;
 * the rest wait here, first come first served, so a burst of commands queues on the host instead of piling into a
 * guest whose emulated CPU then answers none of them in time. The queue is bounded (per guest and per host): a full
 * one refuses at once with a {@link RetryLaterException} (RESOURCE_EXHAUSTED for the guest, UNAVAILABLE for the
 * host). A waiter's deadline grows with the work ahead of it (one start allowance per round of starts ahead), so a
 * queue that moves never fails a command; one that does not move within it answers UNAVAILABLE, also retryable.
 *
 * <p>The start allowance (how long a guest may take to answer a start's headers) is the base header deadline scaled by
 * the host's load ({@link GuestPace}) or four times this guest's recent starts, whichever is longer, at most
 * {@link Config#maxAllowance}: a slow but working guest is waited for, a guest that never answers costs its caller
 * that long and one start slot of its own sandbox.
 *
 * <p>Gates are keyed by the guest's address, like {@link EnvdClients}' pools: at most one per network slot.
 */
public final class StartGates {
    /**
     * @param inFlightPerGuest starts sent to one guest at once
     * @param waitingPerGuest starts that may wait for one guest; one more is refused (429)
     * @param waitingPerHost starts that may wait for all guests together; one more is refused (503)
     * @param maxWait the longest any start waits for its turn
     * @param maxAllowance the longest a guest is given to answer one start
     */
    public record Config(
            int inFlightPerGuest, int waitingPerGuest, int waitingPerHost, Duration maxWait, Duration maxAllowance) {
        public static final Config DEFAULT = new Config(4, 1024, 8192, Duration.ofMinutes(15), Duration.ofMinutes(5));

        public Config {
            if (inFlightPerGuest < 1 || waitingPerGuest < 0 || waitingPerHost < 0) {
                throw new IllegalArgumentException("start gate sizes must be positive");
            }
        }
    }

    private final Config config;
    private final GuestPace pace;
    private final Duration baseAllowance;
    private final AtomicInteger hostWaiting = new AtomicInteger();
    private final Map<Ipv4, Gate> gates = new ConcurrentHashMap<>();

    /** @param baseAllowance a start's header deadline on an idle host ({@link GuestLimits#headers()}) */
    public StartGates(Config config, GuestPace pace, Duration baseAllowance) {
        this.config = config;
        this.pace = pace;
        this.baseAllowance = baseAllowance;
    }

    Gate forAddress(Ipv4 address) {
        return gates.computeIfAbsent(address, a -> new Gate());
    }

    /** Starts waiting for a turn on every guest, now; for tests and metrics. */
    public int waiting() {
        return hostWaiting.get();
    }

    /** One guest's gate. */
    final class Gate {
        private final Semaphore slots = new Semaphore(config.inFlightPerGuest(), true);
        private final AtomicInteger waiting = new AtomicInteger();
        /** A moving average of how long this guest took to answer a start, in nanoseconds; 0 before the first. */
        private volatile long recentStartNanos;

        /**
         * Waits for a turn to start a process in the guest of {@code sandboxId}. Close the admission once the guest
         * has answered (or failed to).
         */
        Admission enter(String sandboxId) {
            if (tryAcquire(Duration.ZERO)) {
                return new Admission(this, allowance());
            }
            int ahead = waiting.incrementAndGet();
            try {
                if (ahead > config.waitingPerGuest()) {
                    throw new RetryLaterException(
                            ErrorCode.RESOURCE_EXHAUSTED,
                            "sandbox " + sandboxId + " already has " + config.waitingPerGuest()
                                    + " commands waiting to start (and " + config.inFlightPerGuest()
                                    + " starting); retry after the Retry-After seconds",
                            drainSeconds(ahead));
                }
                if (hostWaiting.incrementAndGet() > config.waitingPerHost()) {
                    hostWaiting.decrementAndGet();
                    throw new RetryLaterException(
                            ErrorCode.UNAVAILABLE,
                            "this host already has " + config.waitingPerHost()
                                    + " commands waiting to start; retry after the Retry-After seconds",
                            drainSeconds(ahead));
                }
                try {
                    Duration allowance = allowance();
                    Duration wait = waitFor(ahead, allowance);
                    if (!tryAcquire(wait)) {
                        throw new RetryLaterException(
                                ErrorCode.UNAVAILABLE,
                                "sandbox " + sandboxId + " did not get a turn to start this command within " + wait
                                        + " (" + (ahead - 1) + " waiting ahead of it, "
                                        + config.inFlightPerGuest()
                                        + " starting at once); its guest is overloaded, retry later",
                                drainSeconds(ahead));
                    }
                    return new Admission(this, allowance());
                } finally {
                    hostWaiting.decrementAndGet();
                }
            } finally {
                waiting.decrementAndGet();
            }
        }

        /** Base allowance scaled by the host's load, or 4x this guest's recent starts; at most the cap. */
        Duration allowance() {
            long scaled = pace.scale(baseAllowance).toNanos();
            long recent = 4 * recentStartNanos;
            return Duration.ofNanos(Math.min(config.maxAllowance().toNanos(), Math.max(scaled, recent)));
        }

        /** One allowance per round of starts ahead of this one, plus its own round; at most the longest wait. */
        Duration waitFor(int ahead, Duration allowance) {
            long rounds = 1 + (ahead + config.inFlightPerGuest() - 1) / config.inFlightPerGuest();
            long nanos = Math.min(config.maxWait().toNanos(), saturatedMultiply(allowance.toNanos(), rounds));
            return Duration.ofNanos(nanos);
        }

        private long drainSeconds(int ahead) {
            double perStart = recentStartNanos > 0 ? recentStartNanos / 1e9 : 1;
            long seconds = (long) Math.ceil(perStart * ahead / config.inFlightPerGuest());
            return Math.clamp(seconds, 1, 60);
        }

        private boolean tryAcquire(Duration wait) {
            try {
                return slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostAgentException(ErrorCode.UNAVAILABLE, "interrupted while waiting to start a process");
            }
        }

        void finished(long startNanos, boolean answered) {
            slots.release();
            if (answered) {
                long previous = recentStartNanos;
                recentStartNanos = previous == 0 ? startNanos : (previous * 7 + startNanos) / 8;
            }
        }

        int waitingNow() {
            return waiting.get();
        }

        int freeSlots() {
            return slots.availablePermits();
        }
    }

    /** A turn to start one process; {@link #headerDeadline} is how long the guest may take to answer it. */
    static final class Admission implements AutoCloseable {
        private final Gate gate;
        private final Duration headerDeadline;
        private final long since = System.nanoTime();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean answered;

        Admission(Gate gate, Duration headerDeadline) {
            this.gate = gate;
            this.headerDeadline = headerDeadline;
        }

        Duration headerDeadline() {
            return headerDeadline;
        }

        /** The guest answered the start: its time counts toward the guest's recent pace. */
        void answered() {
            answered = true;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                gate.finished(System.nanoTime() - since, answered);
            }
        }
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }
}
