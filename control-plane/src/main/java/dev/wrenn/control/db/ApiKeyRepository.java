package dev.wrenn.control.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Teams' API keys, looked up by the SHA-256 of the key. Every query but the lookup is scoped to one team. */
public final class ApiKeyRepository {
    static final long LAST_USED_GRANULARITY_MS = 60_000;
    private final Database database;

    public ApiKeyRepository(Database database) {
        this.database = database;
    }

    public void insert(ApiKey key, String keyHash) {
        insert(key, keyHash, h -> {});
    }

    /** Inserts the key and, in the same transaction, what {@code alongside} writes (its audit line). */
    public void insert(ApiKey key, String keyHash, Consumer<Handle> alongside) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO team_api_keys (id, team_id, name, key_hash, key_prefix, created_by, created_at)"
                            + " VALUES (:id, :team, :name, :hash, :prefix, :by, :at)")
                    .bind("id", key.id())
                    .bind("team", key.teamId())
                    .bind("name", key.name())
                    .bind("hash", keyHash)
                    .bind("prefix", key.keyPrefix())
                    .bind("by", key.createdBy())
                    .bind("at", SqlTime.toMillis(key.createdAt()))
                    .execute();
            alongside.accept(h);
        });
    }

    /** The team's keys, newest first. */
    public List<ApiKey> listForTeam(String teamId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT k.*, u.email AS creator_email"
                                + " FROM team_api_keys k LEFT JOIN users u ON u.id = k.created_by"
                                + " WHERE k.team_id = :team ORDER BY k.created_at DESC, k.id DESC")
                        .bind("team", teamId)
                        .map(ApiKeyRepository::apiKey)
                        .list());
    }

    public Optional<ApiKey> find(String teamId, String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT k.*, u.email AS creator_email"
                                + " FROM team_api_keys k LEFT JOIN users u ON u.id = k.created_by"
                                + " WHERE k.team_id = :team AND k.id = :id")
                        .bind("team", teamId)
                        .bind("id", id)
                        .map(ApiKeyRepository::apiKey)
                        .findOne());
    }

    /** Deletes the team's key; false if the team has no key with this id. */
    public boolean delete(String teamId, String id) {
        return delete(teamId, id, h -> {});
    }

    /** As {@link #delete(String, String)}; {@code alongside} writes in the same transaction if a key was deleted. */
    public boolean delete(String teamId, String id, Consumer<Handle> alongside) {
        return database.jdbi().inTransaction(h -> {
            boolean deleted = h.createUpdate("DELETE FROM team_api_keys WHERE team_id = :team AND id = :id")
                            .bind("team", teamId)
                            .bind("id", id)
                            .execute()
                    > 0;
            if (deleted) {
                alongside.accept(h);
            }
            return deleted;
        });
    }

    public Optional<ApiKeyOwner> findOwnerByHash(String keyHash) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT id, team_id FROM team_api_keys WHERE key_hash = :hash")
                        .bind("hash", keyHash)
                        .map((rs, ctx) -> new ApiKeyOwner(rs.getString("id"), rs.getString("team_id")))
                        .findOne());
    }

    /**
     * Records that the key was used at {@code at}. Writes at most once a minute per key: the time is informational,
     * and a write on every request would serialise all API traffic on SQLite's single writer.
     */
    public void markUsed(String keyId, Instant at) {
        long millis = SqlTime.toMillis(at);
        database.jdbi()
                .useHandle(h -> h.createUpdate("UPDATE team_api_keys SET last_used = :at WHERE id = :id"
                                + " AND (last_used IS NULL OR last_used <= :stale)")
                        .bind("at", millis)
                        .bind("stale", millis - LAST_USED_GRANULARITY_MS)
                        .bind("id", keyId)
                        .execute());
    }

    private static ApiKey apiKey(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ApiKey(
                rs.getString("id"),
                rs.getString("team_id"),
                rs.getString("name"),
                rs.getString("key_prefix"),
                rs.getString("created_by"),
                rs.getString("creator_email"),
                SqlTime.instant(rs, "created_at"),
                SqlTime.instant(rs, "last_used"));
    }
}
