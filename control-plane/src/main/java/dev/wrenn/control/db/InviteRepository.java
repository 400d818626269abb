package dev.wrenn.control.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Team invitations ({@code team_invites}) and the role a user holds in a team. */
public final class InviteRepository {
    private final Database database;

    public InviteRepository(Database database) {
        this.database = database;
    }

    public void insert(Invite invite, String tokenHash) {
        insert(invite, tokenHash, h -> {});
    }

    /** As {@link #insert(Invite, String)}; {@code alongside} writes in the same transaction (its audit line). */
    public void insert(Invite invite, String tokenHash, Consumer<Handle> alongside) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO team_invites"
                            + " (id, team_id, token_hash, created_by, created_at, expires_at)"
                            + " VALUES (:id, :team, :hash, :by, :at, :expires)")
                    .bind("id", invite.id())
                    .bind("team", invite.teamId())
                    .bind("hash", tokenHash)
                    .bind("by", invite.createdBy())
                    .bind("at", SqlTime.toMillis(invite.createdAt()))
                    .bind("expires", SqlTime.toMillis(invite.expiresAt()))
                    .execute();
            alongside.accept(h);
        });
    }

    /** The team's invitations, newest first, used and expired ones included. */
    public List<Invite> list(String teamId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM team_invites WHERE team_id = :team ORDER BY created_at DESC, id")
                        .bind("team", teamId)
                        .map(InviteRepository::invite)
                        .list());
    }

    /** Deletes one of the team's invitations; false if the team has no such invitation. */
    public boolean delete(String teamId, String id) {
        return delete(teamId, id, h -> {});
    }

    /** As {@link #delete(String, String)}; {@code alongside} writes in the same transaction if one was deleted. */
    public boolean delete(String teamId, String id, Consumer<Handle> alongside) {
        return database.jdbi().inTransaction(h -> {
            boolean deleted = h.createUpdate("DELETE FROM team_invites WHERE team_id = :team AND id = :id")
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

    /** Whether an invitation with this token hash could be used at {@code now} (checked again when consumed). */
    public boolean isUsable(String tokenHash, Instant now) {
        return database.jdbi()
                        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM team_invites"
                                        + " WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now")
                                .bind("hash", tokenHash)
                                .bind("now", SqlTime.toMillis(now))
                                .mapTo(Long.class)
                                .one())
                > 0;
    }

    /**
     * Marks the invitation used, in the caller's transaction, and returns its team; empty if it is unknown, used or
     * expired. One conditional UPDATE, so two signups racing for one invitation cannot both have it.
     */
    static Optional<String> consume(Handle h, String tokenHash, Instant now) {
        int updated = h.createUpdate("UPDATE team_invites SET used_at = :now"
                        + " WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now")
                .bind("hash", tokenHash)
                .bind("now", SqlTime.toMillis(now))
                .execute();
        if (updated == 0) {
            return Optional.empty();
        }
        return h.createQuery("SELECT team_id FROM team_invites WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .mapTo(String.class)
                .findOne();
    }

    /** The user's role in the team ({@code owner}, {@code admin}, {@code member}); empty if not a member. */
    public Optional<String> roleIn(String userId, String teamId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT role FROM users_teams WHERE user_id = :user AND team_id = :team")
                        .bind("user", userId)
                        .bind("team", teamId)
                        .mapTo(String.class)
                        .findOne());
    }

    private static Invite invite(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Invite(
                rs.getString("id"),
                rs.getString("team_id"),
                rs.getString("created_by"),
                SqlTime.instant(rs, "created_at"),
                SqlTime.instant(rs, "expires_at"),
                SqlTime.instant(rs, "used_at"));
    }
}
