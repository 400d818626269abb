package dev.wrenn.control.db;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The two databases the control plane runs on, and the few things in which they differ for it. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    private static final String PG_UNIQUE_VIOLATION = "23505";

    /** Whether {@code error} (or one of its causes) is a unique-constraint violation, e.g. a duplicate email. */
    public boolean isUniqueViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && isUniqueViolation(sql)) {
                return true;
            }
        }
        return false;
    }

    private boolean isUniqueViolation(SQLException sql) {
        return switch (this) {
            case POSTGRESQL -> PG_UNIQUE_VIOLATION.equals(sql.getSQLState());
            case SQLITE ->
                sql instanceof SQLiteException lite
                        && (lite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                                || lite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
        };
    }
}
