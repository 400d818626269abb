package dev.wrenn.control.quota;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/** The {@code team_quotas} rows and a team's usage, read from the sandbox and template rows. */
final class QuotaRepository {
    private final Database database;

    QuotaRepository(Database database) {
        this.database = database;
    }

    Optional<QuotaRequest> find(String teamId) {
        return database.jdbi().withHandle(h -> find(h, teamId));
    }

    Optional<QuotaRequest> find(Handle h, String teamId) {
        return h.createQuery("SELECT * FROM team_quotas WHERE team_id = :team")
                .bind("team", teamId)
                .map((rs, ctx) -> new QuotaRequest(
                        nullable(rs, "max_running"),
                        nullable(rs, "max_vcpus"),
                        nullable(rs, "max_memory_mb"),
                        nullable(rs, "max_disk_mb"),
                        nullable(rs, "max_paused"),
                        nullable(rs, "max_templates")))
                .findOne();
    }

    /**
     * Makes other transactions that reserve for the same team wait until {@code h}'s commits. SQLite needs nothing:
     * every transaction there begins IMMEDIATE, holding the database's one write lock. On PostgreSQL the team's row is
     * locked FOR NO KEY UPDATE, which does not conflict with the KEY SHARE lock the sandbox insert's foreign key
     * already took (FOR UPDATE would, and two racing creates would deadlock).
     */
    void lockTeam(Handle h, String teamId) {
        if (database.dialect() == Dialect.POSTGRESQL) {
            h.createQuery("SELECT id FROM teams WHERE id = :team FOR NO KEY UPDATE")
                    .bind("team", teamId)
                    .mapTo(String.class)
                    .findOne();
        }
    }

    private static Integer nullable(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    void save(String teamId, QuotaRequest quota, Instant at) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM team_quotas WHERE team_id = :team")
                    .bind("team", teamId)
                    .execute();
            h.createUpdate("INSERT INTO team_quotas (team_id, max_running, max_vcpus, max_memory_mb, max_disk_mb,"
                            + " max_paused, max_templates, updated_at) VALUES (:team, :running, :vcpus, :memory,"
                            + " :disk, :paused, :templates, :at)")
                    .bind("team", teamId)
                    .bind("running", quota.running())
                    .bind("vcpus", quota.vcpus())
                    .bind("memory", quota.memoryMb())
                    .bind("disk", quota.diskMb())
                    .bind("paused", quota.paused())
                    .bind("templates", quota.templates())
                    .bind("at", at.toEpochMilli())
                    .execute();
        });
    }

    Usage usage(String teamId, Instant now) {
        return database.jdbi().withHandle(h -> usage(h, teamId, now));
    }

    /** The rows' usage plus the reservations of operations in flight that have not expired at {@code now}. */
    Usage usage(Handle h, String teamId, Instant now) {
        return h.createQuery("SELECT"
                        + " (SELECT COUNT(*) FROM sandboxes WHERE team_id = :team AND status IN ('pending', 'running')) AS running,"
                        + " (SELECT COALESCE(SUM(vcpus), 0) FROM sandboxes WHERE team_id = :team"
                        + "   AND status IN ('pending', 'running')) AS vcpus,"
                        + " (SELECT COALESCE(SUM(memory_mb), 0) FROM sandboxes WHERE team_id = :team"
                        + "   AND status IN ('pending', 'running')) AS memory,"
                        + " (SELECT COALESCE(SUM(size_bytes), 0) FROM templates WHERE team_id = :team) AS disk,"
                        + " (SELECT COUNT(*) FROM sandboxes WHERE team_id = :team AND status = 'paused') AS paused,"
                        + " (SELECT COUNT(*) FROM templates WHERE team_id = :team) AS templates,"
                        + " r.running AS r_running, r.vcpus AS r_vcpus, r.memory AS r_memory, r.paused AS r_paused,"
                        + " r.templates AS r_templates"
                        + " FROM (SELECT COALESCE(SUM(running), 0) AS running, COALESCE(SUM(vcpus), 0) AS vcpus,"
                        + "   COALESCE(SUM(memory_mb), 0) AS memory, COALESCE(SUM(paused), 0) AS paused,"
                        + "   COALESCE(SUM(templates), 0) AS templates"
                        + "   FROM quota_reservations WHERE team_id = :team AND expires_at > :now) r")
                .bind("team", teamId)
                .bind("now", now.toEpochMilli())
                .map((rs, ctx) -> new Usage(
                        rs.getInt("running") + rs.getInt("r_running"),
                        rs.getInt("vcpus") + rs.getInt("r_vcpus"),
                        rs.getInt("memory") + rs.getInt("r_memory"),
                        (int) Math.min(Integer.MAX_VALUE, rs.getLong("disk") / (1024 * 1024)),
                        rs.getInt("paused") + rs.getInt("r_paused"),
                        rs.getInt("templates") + rs.getInt("r_templates")))
                .one();
    }

    void inTransaction(Consumer<Handle> work) {
        database.jdbi().useTransaction(work::accept);
    }

    void insertReservation(Handle h, String id, String teamId, Usage held, Instant expiresAt) {
        h.createUpdate("INSERT INTO quota_reservations (id, team_id, running, vcpus, memory_mb, paused, templates,"
                        + " expires_at) VALUES (:id, :team, :running, :vcpus, :memory, :paused, :templates, :expires)")
                .bind("id", id)
                .bind("team", teamId)
                .bind("running", held.running())
                .bind("vcpus", held.vcpus())
                .bind("memory", held.memoryMb())
                .bind("paused", held.paused())
                .bind("templates", held.templates())
                .bind("expires", expiresAt.toEpochMilli())
                .execute();
    }

    void deleteReservation(String id) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("DELETE FROM quota_reservations WHERE id = :id")
                        .bind("id", id)
                        .execute());
    }

    void deleteExpiredReservations(Handle h, Instant now) {
        h.createUpdate("DELETE FROM quota_reservations WHERE expires_at <= :now")
                .bind("now", now.toEpochMilli())
                .execute();
    }
}
