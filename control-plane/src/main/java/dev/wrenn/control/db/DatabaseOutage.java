package dev.wrenn.control.db;

import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.error.RetryLaterException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a database that cannot be reached (PostgreSQL restarting or down, the pool unable to connect within its
 * timeout) from a bug, so that the API answers 503 with {@code Retry-After} instead of 500: the request was fine
 * and will succeed once the database is back, which the pool notices on its own (no control-plane restart).
 */
public final class DatabaseOutage {
    /** Seconds a client is told to wait; about the pool's connection timeout. */
    static final long RETRY_AFTER_SECONDS = 5;

    /** PostgreSQL's "admin shutdown", "crash shutdown", "cannot connect now" (starting up or shutting down). */
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutage() {}

    /** The 503 to answer when {@code failure} (or a cause of it) says the database is out of reach; else empty. */
    public static Optional<RetryLaterException> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isOutage(t)) {
                return Optional.of(new RetryLaterException(
                        ErrorCode.BUSY, "the database is unavailable; retry shortly", RETRY_AFTER_SECONDS));
            }
        }
        return Optional.empty();
    }

    private static boolean isOutage(Throwable t) {
        if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
            return true;
        }
        if (!(t instanceof SQLException sql) || sql.getSQLState() == null) {
            return false;
        }
        // Class 08: connection exceptions (refused, broken mid-query).
        return sql.getSQLState().startsWith("08") || SERVER_GOING_AWAY.contains(sql.getSQLState());
    }
}
