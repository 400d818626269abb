package dev.wrenn.control.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.error.RetryLaterException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * bcrypt password hashes. bcrypt reads at most 72 bytes, so longer passwords are refused rather than truncated. At
 * most {@link #MAX_CONCURRENT} hashes run at once: each costs a core for ~0.25 s at cost 12, and a burst of logins
 * must not take every core from the API. A request that cannot get a slot within {@link #WAIT_MILLIS} is answered 503
 * with {@code Retry-After}.
 */
public final class PasswordHasher {
    public static final int MAX_PASSWORD_BYTES = 72;
    static final int MAX_CONCURRENT = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    static final long WAIT_MILLIS = 2_000;

    private final Semaphore slots = new Semaphore(MAX_CONCURRENT, true);

    private final int cost;
    /** Checked against when the user does not exist, so that a login takes as long either way. */
    private final String decoyHash;

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.decoyHash = hash("not-a-real-password");
    }

    public String hash(String password) {
        return bounded(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()));
    }

    public boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return false;
        }
        return bounded(() -> BCrypt.verifyer()
                .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                .verified);
    }

    private <T> T bounded(Supplier<T> work) {
        try {
            if (!slots.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new RetryLaterException(ErrorCode.BUSY, "too many password checks at once; retry shortly", 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLaterException(ErrorCode.BUSY, "interrupted while waiting to check a password", 1);
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    /** Spends the time of one check and returns false; for logins with an unknown email. */
    public boolean matchesNothing(String password) {
        matches(password, decoyHash);
        return false;
    }
}
