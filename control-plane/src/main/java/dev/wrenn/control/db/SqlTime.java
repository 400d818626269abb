package dev.wrenn.control.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Timestamps are stored as BIGINT milliseconds since the epoch (UTC). Both SQLite and PostgreSQL sort and compare
 * integers the same way, while SQLite has no timestamp type and would compare text in whatever format was written.
 */
final class SqlTime {
    private SqlTime() {}

    static long toMillis(Instant instant) {
        return instant.toEpochMilli();
    }

    static Long toMillisOrNull(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
