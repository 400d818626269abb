package dev.wrenn.control.e2b;

import dev.wrenn.control.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code sandbox_lifecycle} table: end times of E2B sandboxes. */
public final class LifecycleRepository {
    private final Database database;

    public LifecycleRepository(Database database) {
        this.database = database;
    }

    void save(Lifecycle lifecycle) {
        database.jdbi().useHandle(h -> save(h, lifecycle));
    }

    /** {@link #save(Lifecycle)} inside the caller's transaction. */
    static void save(Handle h, Lifecycle lifecycle) {
        h.createUpdate("INSERT INTO sandbox_lifecycle (sandbox_id, end_at, on_timeout)"
                        + " VALUES (:id, :end, :onTimeout) ON CONFLICT (sandbox_id)"
                        + " DO UPDATE SET end_at = :end, on_timeout = :onTimeout")
                .bind("id", lifecycle.sandboxId())
                .bind("end", lifecycle.endAt().toEpochMilli())
                .bind("onTimeout", lifecycle.onTimeout().wireName())
                .execute();
    }

    Optional<Lifecycle> find(String sandboxId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM sandbox_lifecycle WHERE sandbox_id = :id")
                        .bind("id", sandboxId)
                        .map((rs, ctx) -> lifecycle(rs))
                        .findOne());
    }

    /** Running sandboxes whose end has come, with their team: {@code [teamId, lifecycle]}. */
    List<Due> dueRunning(Instant now) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT l.*, s.team_id FROM sandbox_lifecycle l"
                                + " JOIN sandboxes s ON s.id = l.sandbox_id"
                                + " WHERE l.end_at <= :now AND s.status = 'running' ORDER BY l.end_at")
                        .bind("now", now.toEpochMilli())
                        .map((rs, ctx) -> new Due(rs.getString("team_id"), lifecycle(rs)))
                        .list());
    }

    /** A sandbox whose time is up, and its team. */
    record Due(String teamId, Lifecycle lifecycle) {}

    private static Lifecycle lifecycle(ResultSet rs) throws SQLException {
        return new Lifecycle(
                rs.getString("sandbox_id"),
                Instant.ofEpochMilli(rs.getLong("end_at")),
                OnTimeout.fromWire(rs.getString("on_timeout")));
    }
}
