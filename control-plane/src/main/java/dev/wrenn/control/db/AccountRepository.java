package dev.wrenn.control.db;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
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
                serializeAccountCreation(h);
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

    /** What a signup did. The API answers both the same, so that a signup cannot tell which emails are registered. */
    public enum Registration {
        CREATED,
        EMAIL_EXISTS
    }

    public static final String INVALID_INVITE = "the invitation is unknown, expired, revoked or already used";
    public static final String INVITE_REQUIRED =
            "signup needs an invitation from a team administrator on this installation (signup mode first-user)";

    /**
     * Signs a new user up in one transaction. With {@code inviteHash} the invitation is used up and the user joins its
     * team as a member; without one the user gets a team of its own, and if {@code inviteRequired} that is allowed only
     * while no user exists. An email already registered changes no account, and the invitation is used up just the same.
     *
     * @throws ApiException {@link ErrorCode#INVALID_INVITE} or {@link ErrorCode#SIGNUP_CLOSED}; nothing is changed then
     */
    public Registration register(User user, Team ownTeam, String inviteHash, boolean inviteRequired) {
        return register(user, ownTeam, inviteHash, inviteRequired, team -> h -> {});
    }

    /**
     * As {@link #register(User, Team, String, boolean)}; {@code onJoined} gives, for the team an invitation made the
     * user a member of, a write for the same transaction (its audit line).
     */
    public Registration register(
            User user,
            Team ownTeam,
            String inviteHash,
            boolean inviteRequired,
            Function<String, Consumer<Handle>> onJoined) {
        try {
            return database.jdbi().inTransaction(h -> {
                serializeAccountCreation(h);
                String invitedTo = null;
                if (inviteHash != null) {
                    invitedTo = InviteRepository.consume(h, inviteHash, user.createdAt())
                            .orElseThrow(() -> new ApiException(ErrorCode.INVALID_INVITE, INVALID_INVITE));
                } else if (inviteRequired && userCount(h) > 0) {
                    throw new ApiException(ErrorCode.SIGNUP_CLOSED, INVITE_REQUIRED);
                }
                if (emailTaken(h, user.email())) {
                    return Registration.EMAIL_EXISTS;
                }
                insertNewUser(h, user, ownTeam, invitedTo);
                if (invitedTo != null) {
                    onJoined.apply(invitedTo).accept(h);
                }
                return Registration.CREATED;
            });
        } catch (RuntimeException e) {
            if (database.dialect().isUniqueViolation(e)) {
                return Registration.EMAIL_EXISTS; // a concurrent signup of the same email won
            }
            throw e;
        }
    }

    /** The first user of an installation administers it; a user invited to a team is a member of it. */
    private static void insertNewUser(Handle h, User user, Team ownTeam, String invitedTo) {
        boolean first = userCount(h) == 0;
        insertUser(h, first ? new User(user.id(), user.email(), user.passwordHash(), true, user.createdAt()) : user);
        if (invitedTo == null) {
            insertTeam(h, ownTeam);
            insertMembership(h, user, ownTeam.id(), "owner");
        } else {
            insertMembership(h, user, invitedTo, "member");
        }
    }

    /**
     * Creates the installation's administrator with a team of its own, only if no user exists yet (the quickstart's
     * account). Returns whether it was created.
     */
    public boolean createFirstAdmin(User user, Team team) {
        return database.jdbi().inTransaction(h -> {
            serializeAccountCreation(h);
            if (userCount(h) > 0) {
                return false;
            }
            insertUser(h, new User(user.id(), user.email(), user.passwordHash(), true, user.createdAt()));
            insertTeam(h, team);
            insertMembership(h, user, team.id(), "owner");
            return true;
        });
    }

    /** The installation's oldest administrator (the first account), if any. */
    public Optional<User> firstAdmin() {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM users WHERE is_admin = TRUE ORDER BY created_at, id")
                        .map(AccountRepository::user)
                        .findFirst());
    }

    public void setPasswordHash(String userId, String hash, java.time.Instant at) {
        database.jdbi()
                .useHandle(
                        h -> h.createUpdate("UPDATE users SET password_hash = :hash, updated_at = :at WHERE id = :id")
                                .bind("hash", hash)
                                .bind("at", SqlTime.toMillis(at))
                                .bind("id", userId)
                                .execute());
    }

    /** Whether any account exists (first-user mode refuses signups without an invitation once one does). */
    public boolean anyUser() {
        return database.jdbi().withHandle(AccountRepository::userCount) > 0;
    }

    /**
     * Which account is the first (and so the administrator) is decided by counting users inside the creating
     * transaction; two such transactions must not both count zero. SQLite already serialises them (every transaction
     * begins IMMEDIATE); PostgreSQL's read committed would let two first signups both see no user, so account-creating
     * transactions there take one transaction-scoped advisory lock first. Signups are rate limited and bcrypt runs
     * before the transaction, so the lock is held only for a few inserts.
     */
    private void serializeAccountCreation(Handle h) {
        if (database.dialect() == Dialect.POSTGRESQL) {
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked")
                    .bind("key", ACCOUNT_CREATION_LOCK)
                    .mapTo(Integer.class)
                    .one();
        }
    }

    /** The advisory-lock key of account creation ("wrennacc" in ASCII); no other lock uses it. */
    private static final long ACCOUNT_CREATION_LOCK = 0x7772656e6e616363L;

    private static long userCount(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one();
    }

    private static boolean emailTaken(Handle h, String email) {
        return h.createQuery("SELECT COUNT(*) FROM users WHERE email = :email")
                        .bind("email", email)
                        .mapTo(Long.class)
                        .one()
                > 0;
    }

    private static void insertMembership(Handle h, User user, String teamId, String role) {
        h.createUpdate("INSERT INTO users_teams (user_id, team_id, is_default, role, created_at)"
                        + " VALUES (:user, :team, TRUE, :role, :at)")
                .bind("user", user.id())
                .bind("team", teamId)
                .bind("role", role)
                .bind("at", SqlTime.toMillis(user.createdAt()))
                .execute();
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
