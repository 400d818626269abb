package dev.wrenn.control.auth;

import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.error.RetryLaterException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a client address, an account's email): {@code capacity} attempts at once, then one more every
 * {@code refillMillis}. Kept in memory per control plane replica, so several replicas each allow the budget; that
 * still bounds guessing to a few attempts a second. The map is cleared of full buckets when it grows past
 * {@link #MAX_KEYS}, so spraying addresses cannot grow it without bound.
 */
public final class RateLimiter {
    static final int MAX_KEYS = 100_000;

    private final String what;
    private final int capacity;
    private final long refillMillis;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param what names the limited action in the 429's message, e.g. "login attempts from this address" */
    public RateLimiter(String what, int capacity, long refillMillis, Clock clock) {
        this.what = what;
        this.capacity = capacity;
        this.refillMillis = refillMillis;
        this.clock = clock;
    }

    /** Takes one attempt from {@code key}'s bucket. @throws RetryLaterException 429 when it is empty */
    public void acquire(String key) {
        long wait = tryAcquire(key);
        if (wait > 0) {
            throw new RetryLaterException(
                    ErrorCode.RATE_LIMITED, "too many " + what + "; retry in " + seconds(wait) + " s", seconds(wait));
        }
    }

    /** @throws RetryLaterException 429 when {@code key}'s bucket is empty, without taking anything */
    public void check(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            long wait = bucket.waitMillis(clock.millis());
            if (wait > 0) {
                throw new RetryLaterException(
                        ErrorCode.RATE_LIMITED,
                        "too many " + what + "; retry in " + seconds(wait) + " s",
                        seconds(wait));
            }
        }
    }

    /** Counts an attempt against {@code key} without refusing this one (e.g. a failure already answered 401). */
    public void tryAcquireQuietly(String key) {
        tryAcquire(key);
    }

    /** 0 when an attempt was taken, else the milliseconds until one is available. */
    long tryAcquire(String key) {
        if (buckets.size() >= MAX_KEYS) {
            long now = clock.millis();
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(key, k -> new Bucket()).take(clock.millis());
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    private final class Bucket {
        private double tokens = capacity;
        private long updated = clock.millis();

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return waitMillis(now);
        }

        synchronized long waitMillis(long now) {
            refill(now);
            return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * refillMillis);
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (double) (now - updated) / refillMillis);
            updated = now;
        }
    }
}
