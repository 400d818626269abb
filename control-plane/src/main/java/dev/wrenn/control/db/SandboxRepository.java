package dev.wrenn.control.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * Sandbox rows. Reads for the API are scoped to a team; the reconciler reads by host. Status changes are
 * compare-and-set on the previous status, so two requests racing on one sandbox cannot both win.
 */
public final class SandboxRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final Database database;

    /** For the tables that belong with a sandbox row (written in its transactions). */
    public Database database() {
        return database;
    }

    public SandboxRepository(Database database) {
        this.database = database;
    }

    public void insert(Sandbox sandbox) {
        database.jdbi().useHandle(h -> insert(h, sandbox));
    }

    /**
     * Inserts the sandbox and, in the same transaction, what {@code alongside} writes for it (e.g. E2B's end time),
     * so a crash never leaves one without the other.
     */
    public void insert(Sandbox sandbox, BiConsumer<Handle, Sandbox> alongside) {
        database.jdbi().useTransaction(h -> {
            insert(h, sandbox);
            alongside.accept(h, sandbox);
        });
    }

    private static void insert(Handle h, Sandbox sandbox) {
        bindAll(
                        h.createUpdate("INSERT INTO sandboxes (id, team_id, host_id, template, status, vcpus,"
                                + " memory_mb, timeout_sec, host_ip, metadata, error_reason, created_at, started_at,"
                                + " last_active_at, last_updated) VALUES (:id, :team, :host, :template, :status,"
                                + " :vcpus, :memory, :timeout, :hostIp, :metadata, :error, :created, :started,"
                                + " :active, :updated)"),
                        sandbox)
                .execute();
    }

    public Optional<Sandbox> find(String teamId, String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM sandboxes WHERE team_id = :team AND id = :id")
                        .bind("team", teamId)
                        .bind("id", id)
                        .map(SandboxRepository::sandbox)
                        .findOne());
    }

    /** Any team's sandbox; for the reconciler, never for answering a user. */
    public Optional<Sandbox> findAnyTeam(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM sandboxes WHERE id = :id")
                        .bind("id", id)
                        .map(SandboxRepository::sandbox)
                        .findOne());
    }

    /** The team's sandboxes that have not ended, newest first. */
    public List<Sandbox> listLive(String teamId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM sandboxes WHERE team_id = :team"
                                + " AND status NOT IN ('stopped', 'error') ORDER BY created_at DESC, id DESC")
                        .bind("team", teamId)
                        .map(SandboxRepository::sandbox)
                        .list());
    }

    /** The sandboxes placed on one host in any of {@code statuses}; for the reconciler. */
    public List<Sandbox> listOnHost(String hostId, Set<SandboxStatus> statuses) {
        List<String> names = statuses.stream().map(SandboxStatus::wireName).toList();
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM sandboxes WHERE host_id = :host AND status IN (<statuses>) ORDER BY id")
                        .bind("host", hostId)
                        .bindList("statuses", names)
                        .map(SandboxRepository::sandbox)
                        .list());
    }

    /**
     * Writes every mutable column of {@code updated} if the row is still in {@code expected} status. The status
     * table is the gate: a change {@link SandboxStatus#canBecome} does not allow is refused before the database is
     * touched (keeping the status, e.g. to record a new address, is no transition and is allowed).
     *
     * @return false if the row is gone or another request changed its status first
     * @throws IllegalStateException if {@code expected -> updated.status()} is not a transition of the table
     */
    public boolean updateIfStatus(Sandbox updated, SandboxStatus expected) {
        requireTransition(updated, expected);
        return database.jdbi().withHandle(h -> updateIfStatus(h, updated, expected));
    }

    /** {@link #updateIfStatus(Sandbox, SandboxStatus)} inside the caller's transaction. */
    public boolean updateIfStatus(Handle h, Sandbox updated, SandboxStatus expected) {
        requireTransition(updated, expected);
        return bindAll(
                                h.createUpdate("UPDATE sandboxes SET host_id = :host, template = :template,"
                                        + " status = :status, vcpus = :vcpus, memory_mb = :memory,"
                                        + " timeout_sec = :timeout, host_ip = :hostIp, metadata = :metadata,"
                                        + " error_reason = :error, started_at = :started,"
                                        + " last_active_at = :active, last_updated = :updated"
                                        + " WHERE id = :id AND team_id = :team AND status = :expected"),
                                updated)
                        .bind("expected", expected.wireName())
                        .execute()
                > 0;
    }

    private static void requireTransition(Sandbox updated, SandboxStatus expected) {
        if (updated.status() != expected && !expected.canBecome(updated.status())) {
            throw new IllegalStateException("sandbox " + updated.id() + ": " + expected.wireName() + " -> "
                    + updated.status().wireName() + " is not a transition the status table allows");
        }
    }

    /** Records activity (exec, file access, ping) without touching the status. */
    public void touch(String id, Instant at) {
        database.jdbi()
                .useHandle(h -> h.createUpdate(
                                "UPDATE sandboxes SET last_active_at = :at, last_updated = :at WHERE id = :id")
                        .bind("at", SqlTime.toMillis(at))
                        .bind("id", id)
                        .execute());
    }

    private static Update bindAll(Update update, Sandbox s) {
        return update.bind("id", s.id())
                .bind("team", s.teamId())
                .bind("host", s.hostId())
                .bind("template", s.template())
                .bind("status", s.status().wireName())
                .bind("vcpus", s.vcpus())
                .bind("memory", s.memoryMb())
                .bind("timeout", s.timeoutSec())
                .bind("hostIp", s.hostIp())
                .bind("metadata", toJson(s.metadata()))
                .bind("error", s.errorReason())
                .bind("created", SqlTime.toMillis(s.createdAt()))
                .bind("started", SqlTime.toMillisOrNull(s.startedAt()))
                .bind("active", SqlTime.toMillisOrNull(s.lastActiveAt()))
                .bind("updated", SqlTime.toMillis(s.lastUpdated()));
    }

    private static Sandbox sandbox(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Sandbox(
                rs.getString("id"),
                rs.getString("team_id"),
                rs.getString("host_id"),
                rs.getString("template"),
                SandboxStatus.fromWire(rs.getString("status")),
                rs.getInt("vcpus"),
                rs.getInt("memory_mb"),
                rs.getInt("timeout_sec"),
                rs.getString("host_ip"),
                fromJson(rs.getString("metadata")),
                rs.getString("error_reason"),
                SqlTime.instant(rs, "created_at"),
                SqlTime.instant(rs, "started_at"),
                SqlTime.instant(rs, "last_active_at"),
                SqlTime.instant(rs, "last_updated"));
    }

    private static String toJson(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising sandbox metadata", e);
        }
    }

    private static Map<String, String> fromJson(String json) throws SQLException {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new SQLException("sandboxes.metadata is not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
    }
}
