package dev.wrenn.control.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.ids.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code audit_log} table: lines are written by services ({@link AuditTrail}) and read a page at a time, newest
 * first. Lines older than the retention, and revoked token ids past their expiry, are deleted at most once an hour,
 * after a write, off the request's thread.
 */
public final class AuditLog implements AuditTrail {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    public static final String RETENTION_ENV = "WRENN_AUDIT_RETENTION_DAYS";
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final Clock clock;
    private final Duration retention;
    private final AtomicLong lastPurge = new AtomicLong();

    public AuditLog(Database database, Clock clock, Duration retention) {
        this.database = database;
        this.clock = clock;
        this.retention = retention;
    }

    /** The retention from {@value #RETENTION_ENV} (whole days, at least 1), else {@link #DEFAULT_RETENTION}. */
    public static Duration retentionFromEnv(Map<String, String> env) {
        String days = env.get(RETENTION_ENV);
        if (days == null || days.isBlank()) {
            return DEFAULT_RETENTION;
        }
        try {
            long value = Long.parseLong(days.strip());
            if (value >= 1) {
                return Duration.ofDays(value);
            }
        } catch (NumberFormatException e) {
            // refused below with the variable's name
        }
        throw new IllegalArgumentException(
                RETENTION_ENV + " must be a whole number of days, at least 1 (got '" + days + "')");
    }

    @Override
    public Consumer<Handle> entry(String teamId, String action, String target, Map<String, String> details) {
        Actor actor = AuditContext.current();
        return h -> {
            insert(h, teamId, actor, action, target, details);
            purgeSoon();
        };
    }

    @Override
    public void record(String teamId, Actor actor, String action, String target, Map<String, String> details) {
        database.jdbi().useHandle(h -> insert(h, teamId, actor, action, target, details));
        purgeSoon();
    }

    /** Up to {@code query.limit()} lines of the team's log, newest first, after the query's cursor. */
    public List<AuditEntry> page(String teamId, AuditQuery query) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM audit_log WHERE team_id = :team"
                                + " AND created_at >= :since AND created_at < :until"
                                + " AND (created_at < :cursorAt OR (created_at = :cursorAt AND id < :cursorId))"
                                + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                        .bind("team", teamId)
                        .bind("since", query.since().toEpochMilli())
                        .bind("until", query.until().toEpochMilli())
                        .bind("cursorAt", query.after().createdAt())
                        .bind("cursorId", query.after().id())
                        .bind("limit", query.limit())
                        .map(AuditLog::entry)
                        .list());
    }

    /** Deletes lines past the retention and revocations past their token's expiry; the number of lines deleted. */
    public int purge() {
        long now = clock.millis();
        return database.jdbi().inTransaction(h -> {
            h.createUpdate("DELETE FROM revoked_tokens WHERE expires_at < :now")
                    .bind("now", now)
                    .execute();
            return h.createUpdate("DELETE FROM audit_log WHERE created_at < :oldest")
                    .bind("oldest", now - retention.toMillis())
                    .execute();
        });
    }

    private void purgeSoon() {
        long now = clock.millis();
        long last = lastPurge.get();
        if (now - last < PURGE_EVERY.toMillis() || !lastPurge.compareAndSet(last, now)) {
            return;
        }
        Thread.ofVirtual().name("audit-purge").start(() -> {
            try {
                purge();
            } catch (RuntimeException e) {
                LOG.warn("deleting audit lines older than {} failed: {}", retention, e.getMessage());
            }
        });
    }

    private void insert(Handle h, String teamId, Actor actor, String action, String target, Map<String, String> d) {
        h.createUpdate("INSERT INTO audit_log (id, team_id, actor_type, actor_id, action, target, address, details,"
                        + " created_at) VALUES (:id, :team, :type, :actor, :action, :target, :address, :details, :at)")
                .bind("id", "aud-" + Ids.hex(16))
                .bind("team", teamId)
                .bind("type", actor.type())
                .bind("actor", actor.id())
                .bind("action", action)
                .bind("target", target)
                .bind("address", actor.address())
                .bind("details", json(d))
                .bind("at", clock.millis())
                .execute();
    }

    private static String json(Map<String, String> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encoding audit details", e);
        }
    }

    private static AuditEntry entry(ResultSet rs, StatementContext ctx) throws SQLException {
        Map<String, String> details;
        try {
            details = JSON.readValue(rs.getString("details"), new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            details = Map.of();
        }
        return new AuditEntry(
                rs.getString("id"),
                rs.getString("team_id"),
                rs.getString("actor_type"),
                rs.getString("actor_id"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("address"),
                details,
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
