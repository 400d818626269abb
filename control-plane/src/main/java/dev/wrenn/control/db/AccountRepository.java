package dev.wrenn.control.db;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Users, teams and who belongs to which team. */
public final class AccountRepository {
    private final Database database;

    public AccountRepository(Database database) {
        this.database = database;
    }

    /**
     * Creates a user together with its default team, of which it is the owner, in one transaction.
     *
     * @throws ApiException {@link ErrorCode#EMAIL_TAKEN} if another user has this email
     */
    public void createWithDefaultTeam(User user, Team team) {
        createWithDefaultTeam(user, team, false);
    }

    /**
     * As {@link #createWithDefaultTeam(User, Team)}; with {@code firstBecomesAdmin} the user is made an administrator
     * when no user existed before it (decided inside the transaction, which SQLite runs as {@code BEGIN IMMEDIATE}).
     */
    public void createWithDefaultTeam(User user, Team team, boolean firstBecomesAdmin) {
        try {
            database.jdbi().useTransaction(h -> {
                boolean first = firstBecomesAdmin
                        && h.createQuery("SELECT COUNT(*) FROM users")
                                        .mapTo(Long.class)
                                        .one()
                                == 0;
                insertUser(
                        h,
                        first ? new User(user.id(), user.email(), user.passwordHash(), true, user.createdAt()) : user);
                insertTeam(h, team);
                h.createUpdate("INSERT INTO users_teams (user_id, team_id, is_default, role, created_at)"
                                + " VALUES (:user, :team, TRUE, 'owner', :at)")
                        .bind("user", user.id())
                        .bind("team", team.id())
                        .bind("at", SqlTime.toMillis(user.createdAt()))
                        .execute();
            });
        } catch (RuntimeException e) {
            if (database.dialect().isUniqueViolation(e)) {
                throw new ApiException(ErrorCode.EMAIL_TAKEN, "email " + user.email() + " is already registered", e);
            }
            throw e;
        }
    }

    public Optional<User> findUserByEmail(String email) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM users WHERE email = :email")
                        .bind("email", email)
                        .map(AccountRepository::user)
                        .findOne());
    }

    /** Whether the user exists and is an administrator of this installation. */
    public boolean isAdmin(String userId) {
        return findUser(userId).map(User::admin).orElse(false);
    }

    public Optional<User> findUser(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = :id")
                        .bind("id", id)
                        .map(AccountRepository::user)
                        .findOne());
    }

    public Optional<Team> findTeam(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM teams WHERE id = :id")
                        .bind("id", id)
                        .map(AccountRepository::team)
                        .findOne());
    }

    /** The team a user's tokens are issued for. */
    public Optional<Team> defaultTeamOf(String userId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT t.* FROM teams t"
                                + " JOIN users_teams ut ON ut.team_id = t.id"
                                + " WHERE ut.user_id = :user AND ut.is_default = TRUE"
                                + " ORDER BY ut.created_at, t.id")
                        .bind("user", userId)
                        .map(AccountRepository::team)
                        .findFirst());
    }

    private static void insertUser(Handle h, User user) {
        h.createUpdate("INSERT INTO users (id, email, password_hash, is_admin, created_at, updated_at)"
                        + " VALUES (:id, :email, :hash, :admin, :at, :at)")
                .bind("id", user.id())
                .bind("email", user.email())
                .bind("hash", user.passwordHash())
                .bind("admin", user.admin())
                .bind("at", SqlTime.toMillis(user.createdAt()))
                .execute();
    }

    private static void insertTeam(Handle h, Team team) {
        h.createUpdate("INSERT INTO teams (id, name, created_at) VALUES (:id, :name, :at)")
                .bind("id", team.id())
                .bind("name", team.name())
                .bind("at", SqlTime.toMillis(team.createdAt()))
                .execute();
    }

    private static User user(ResultSet rs, StatementContext ctx) throws SQLException {
        return new User(
                rs.getString("id"),
                rs.getString("email"),
                rs.getString("password_hash"),
                rs.getBoolean("is_admin"),
                SqlTime.instant(rs, "created_at"));
    }

    private static Team team(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Team(rs.getString("id"), rs.getString("name"), SqlTime.instant(rs, "created_at"));
    }
}
