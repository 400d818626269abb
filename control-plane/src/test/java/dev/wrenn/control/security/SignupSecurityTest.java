package dev.wrenn.control.security;

import static dev.wrenn.control.testing.TestServer.bearer;
import static dev.wrenn.control.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.auth.PasswordHasher;
import dev.wrenn.control.config.ConfigLoader;
import dev.wrenn.control.config.SignupMode;
import dev.wrenn.control.db.AccountRepository;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.Team;
import dev.wrenn.control.db.User;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.service.FirstAdmin;
import dev.wrenn.control.testing.FakeHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may become a user: the signup modes, single-use invitations bound to their team, and a signup that does not
 * tell which emails are registered. Each test attacks a real control plane over SQLite and PostgreSQL.
 */
@Tag("security")
class SignupSecurityTest {

    @Test
    void aControlPlaneStartedWithoutASignupModeIsFirstUserAndAMistypedModeIsRefused(@TempDir Path dir) {
        Map<String, String> env = Map.of("WRENN_DATA_DIR", dir.toString(), "WRENN_JWT_SECRET", "s".repeat(32));

        assertThat(ConfigLoader.load(env).signupMode()).isEqualTo(SignupMode.FIRST_USER);
        assertThat(ConfigLoader.load(env, "--signup", "closed").signupMode()).isEqualTo(SignupMode.CLOSED);
        assertThatThrownBy(() -> ConfigLoader.load(env, "--signup", "opne"))
                .hasMessageContaining("open, closed or first-user");
    }

    @OnBothDatabases
    void inFirstUserModeOnlyTheFirstSignupNeedsNoInvitationAndItBecomesTheAdministrator(
            Database database, @TempDir Path dir) {
        try (TestServer server = start(database, dir, SignupMode.FIRST_USER)) {
            JsonNode first = server.signup("first@example.com", "first password");

            Reply second =
                    server.post("/v1/auth/signup", json("email", "second@example.com", "password", "password 2"));

            assertThat(server.get("/metrics", "Authorization", bearer(first)).status())
                    .isEqualTo(200);
            assertThat(second.status()).isEqualTo(403);
            assertThat(second.errorCode()).isEqualTo("signup_closed");
            assertThat(second.errorMessage()).contains("invitation");
            assertThat(userCount(database)).isEqualTo(1);
        }
    }

    @OnBothDatabases
    void closedModeRefusesEverySignupEvenTheFirstAndEvenWithAnInvitation(Database database, @TempDir Path dir) {
        try (TestServer server = start(database, dir, SignupMode.CLOSED)) {
            Reply firstEver = server.post("/v1/auth/signup", json("email", "a@example.com", "password", "password 1"));
            FirstAdmin.Credentials admin = firstAdmin(database)
                    .createIfNoAccount(FirstAdmin.DEFAULT_EMAIL)
                    .orElseThrow();
            JsonNode adminLogin = server.login(admin.email(), admin.password());
            String invite = invite(server, adminLogin);

            Reply invited = server.post(
                    "/v1/auth/signup", json("email", "b@example.com", "password", "password 2", "invite", invite));

            for (Reply refused : new Reply[] {firstEver, invited}) {
                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.errorCode()).isEqualTo("signup_closed");
            }
            assertThat(userCount(database)).isEqualTo(1);
        }
    }

    @OnBothDatabases
    void anInvitationJoinsItsTeamOnceAndNeverAgain(Database database, @TempDir Path dir) {
        try (TestServer server = start(database, dir, SignupMode.FIRST_USER)) {
            JsonNode admin = server.signup("admin@example.com", "admin password");
            String invite = invite(server, admin);

            Reply used = signupWith(server, "member@example.com", invite);
            Reply reused = signupWith(server, "intruder@example.com", invite);

            assertThat(used.status()).isEqualTo(202);
            assertThat(server.login("member@example.com", "member password").get("team_id"))
                    .isEqualTo(admin.get("team_id"));
            assertThat(reused.status()).isEqualTo(403);
            assertThat(reused.errorCode()).isEqualTo("invalid_invite");
            assertThat(server.post(
                                    "/v1/auth/login",
                                    json("email", "intruder@example.com", "password", "intruder password"))
                            .status())
                    .isEqualTo(401);
            assertThat(userCount(database)).isEqualTo(2);
        }
    }

    @OnBothDatabases
    void anExpiredARevokedOrAMadeUpInvitationIsRefused(Database database, @TempDir Path dir) {
        try (TestServer server = start(database, dir, SignupMode.FIRST_USER)) {
            JsonNode admin = server.signup("admin@example.com", "admin password");
            String expired = invite(server, admin);
            database.jdbi().useHandle(h -> h.execute("UPDATE team_invites SET expires_at = 1"));
            JsonNode revokedInvite = server.post(
                            "/v1/teams/" + teamOf(admin) + "/invites", "{}", "Authorization", bearer(admin))
                    .json();
            Reply revoke = server.delete(
                    "/v1/teams/" + teamOf(admin) + "/invites/"
                            + revokedInvite.get("id").asText(),
                    "Authorization",
                    bearer(admin));

            assertThat(revoke.status()).isEqualTo(204);
            for (String token : new String[] {
                expired, revokedInvite.get("token").asText(), "wrn_inv_" + "0".repeat(48), "not-a-token"
            }) {
                Reply refused = signupWith(server, "late@example.com", token);
                assertThat(refused.status()).as(token).isEqualTo(403);
                assertThat(refused.errorCode()).isEqualTo("invalid_invite");
            }
            assertThat(userCount(database)).isEqualTo(1);
        }
    }

    @OnBothDatabases
    void anAdministratorOfTeamACannotInviteIntoListOrRevokeInTeamB(TestServer server) {
        JsonNode a = server.signup("a@example.com", "password a");
        JsonNode b = server.signup("b@example.com", "password b");
        JsonNode bInvite = server.post("/v1/teams/" + teamOf(b) + "/invites", "{}", "Authorization", bearer(b))
                .json();
        String aInvite = invite(server, a);
        String teamB = "/v1/teams/" + teamOf(b) + "/invites";

        Reply create = server.post(teamB, "{}", "Authorization", bearer(a));
        Reply list = server.get(teamB, "Authorization", bearer(a));
        Reply revoke = server.delete(teamB + "/" + bInvite.get("id").asText(), "Authorization", bearer(a));
        Reply revokeViaOwnTeam = server.delete(
                "/v1/teams/" + teamOf(a) + "/invites/" + bInvite.get("id").asText(), "Authorization", bearer(a));
        signupWith(server, "joiner@example.com", aInvite);

        for (Reply refused : new Reply[] {create, list, revoke, revokeViaOwnTeam}) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(404);
            assertThat(refused.errorCode()).isEqualTo("not_found");
        }
        assertThat(server.login("joiner@example.com", "joiner password").get("team_id"))
                .isEqualTo(a.get("team_id"));
        assertThat(server.get(teamB, "Authorization", bearer(b))
                        .json()
                        .get(0)
                        .get("status")
                        .asText())
                .isEqualTo("pending");
    }

    @OnBothDatabases
    void aMemberWhoIsNotATeamAdministratorOrAnApiKeyCannotCreateInvitations(Database database, @TempDir Path dir) {
        try (TestServer server = start(database, dir, SignupMode.FIRST_USER)) {
            JsonNode admin = server.signup("admin@example.com", "admin password");
            signupWith(server, "member@example.com", invite(server, admin));
            JsonNode member = server.login("member@example.com", "member password");
            String key = server.post("/v1/api-keys", "{}", "Authorization", bearer(admin))
                    .json()
                    .get("key")
                    .asText();
            String invites = "/v1/teams/" + teamOf(admin) + "/invites";

            Reply byMember = server.post(invites, "{}", "Authorization", bearer(member));
            Reply listByMember = server.get(invites, "Authorization", bearer(member));
            Reply byKey = server.post(invites, "{}", "X-API-Key", key);

            assertThat(byMember.status()).isEqualTo(403);
            assertThat(byMember.errorCode()).isEqualTo("forbidden");
            assertThat(listByMember.status()).isEqualTo(403);
            assertThat(byKey.status()).isEqualTo(401);
            assertThat(server.get(invites, "Authorization", bearer(admin)).json())
                    .hasSize(1);
        }
    }

    @OnBothDatabases
    void signingUpWithARegisteredEmailAnswersExactlyAsANewOneAndChangesNothing(TestServer server) {
        JsonNode victim = server.signup("victim@example.com", "victim password");

        Reply existing = server.post("/v1/auth/signup", json("email", "victim@example.com", "password", "attacker pw"));
        Reply fresh = server.post("/v1/auth/signup", json("email", "nobody@example.com", "password", "attacker pw"));

        assertThat(existing.status()).isEqualTo(fresh.status()).isEqualTo(202);
        assertThat(existing.contentType()).isEqualTo(fresh.contentType());
        assertThat(existing.body().replace("victim@", "nobody@")).isEqualTo(fresh.body());
        assertThat(server.login("victim@example.com", "victim password").get("team_id"))
                .isEqualTo(victim.get("team_id"));
        assertThat(server.post("/v1/auth/login", json("email", "victim@example.com", "password", "attacker pw"))
                        .status())
                .isEqualTo(401);
    }

    @OnBothDatabases
    void aRegisteredEmailWithAnInvitationAnswersAsANewOneAndJoinsNothing(Database database, @TempDir Path dir) {
        try (TestServer server = start(database, dir, SignupMode.FIRST_USER)) {
            JsonNode admin = server.signup("admin@example.com", "admin password");
            String first = invite(server, admin);
            String second = invite(server, admin);

            Reply existing = server.post(
                    "/v1/auth/signup", json("email", "admin@example.com", "password", "attacker pw", "invite", first));
            Reply fresh = server.post(
                    "/v1/auth/signup", json("email", "new@example.com", "password", "attacker pw", "invite", second));

            assertThat(existing.status()).isEqualTo(fresh.status()).isEqualTo(202);
            assertThat(existing.body().replace("admin@", "new@")).isEqualTo(fresh.body());
            // Both invitations are used up, so retrying one cannot tell which email was new either.
            assertThat(signupWith(server, "other@example.com", first).errorCode())
                    .isEqualTo("invalid_invite");
            assertThat(server.login("admin@example.com", "admin password").get("team_id"))
                    .isEqualTo(admin.get("team_id"));
            assertThat(server.post("/v1/auth/login", json("email", "admin@example.com", "password", "attacker pw"))
                            .status())
                    .isEqualTo(401);
        }
    }

    @OnBothDatabases
    void theFirstAdministratorsPasswordIsGeneratedStoredHashedAndHandedOutOnce(Database database) {
        FirstAdmin firstAdmin = firstAdmin(database);

        FirstAdmin.Credentials created =
                firstAdmin.createIfNoAccount(FirstAdmin.DEFAULT_EMAIL).orElseThrow();
        String stored = new AccountRepository(database)
                .findUserByEmail(created.email())
                .orElseThrow()
                .passwordHash();

        assertThat(created.password()).isNotEqualTo("change-me-please").hasSizeGreaterThanOrEqualTo(24);
        assertThat(stored).startsWith("$2").doesNotContain(created.password());
        assertThat(new PasswordHasher(4).matches(created.password(), stored)).isTrue();
        assertThat(firstAdmin.createIfNoAccount(FirstAdmin.DEFAULT_EMAIL)).isEmpty();
        assertThat(created.toString()).doesNotContain(created.password());
        FirstAdmin.Credentials reset = firstAdmin.resetPassword();
        assertThat(reset.password()).isNotEqualTo(created.password());
        assertThat(new AccountRepository(database)
                        .isAdmin(new AccountRepository(database)
                                .findUserByEmail(created.email())
                                .orElseThrow()
                                .id()))
                .isTrue();
    }

    @OnBothDatabases
    void twoInstallationsNeverShareAFirstAdministratorPassword(Database database, @TempDir Path dir) {
        String one = firstAdmin(database)
                .createIfNoAccount(FirstAdmin.DEFAULT_EMAIL)
                .orElseThrow()
                .password();
        try (Database other =
                Database.open(new dev.wrenn.control.config.DatabaseSettings.Sqlite(dir.resolve("b.db")))) {
            String two = firstAdmin(other)
                    .createIfNoAccount(FirstAdmin.DEFAULT_EMAIL)
                    .orElseThrow()
                    .password();

            assertThat(one).isNotEqualTo(two).matches("[A-Za-z0-9_-]{24}");
        }
    }

    @OnBothDatabases
    void firstSignupsRacingOnAnEmptyInstallationMakeExactlyOneAdministrator(Database database) throws Exception {
        AccountRepository accounts = new AccountRepository(database);
        int racers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                Instant at = Instant.now();
                User user = new User("u-race-" + i, "racer" + i + "@example.com", "$2a$04$notchecked", false, at);
                Team team = new Team("t-race-" + i, "racer " + i, at);
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        return accounts.register(user, team, null, true).name();
                    } catch (ApiException refused) {
                        return refused.code().name();
                    }
                }));
            }
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(60, TimeUnit.SECONDS));
            }

            assertThat(results).containsOnlyOnce("CREATED");
            assertThat(results).filteredOn(r -> !r.equals("CREATED")).containsOnly("SIGNUP_CLOSED");
        }
        assertThat(userCount(database)).isEqualTo(1);
        long admins = database.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE is_admin = TRUE")
                        .mapTo(Long.class)
                        .one());
        assertThat(admins).isEqualTo(1);
    }

    private static TestServer start(Database database, Path dir, SignupMode mode) {
        return TestServer.start(database, new FakeHostAgent(), TestServer.config(dir, mode));
    }

    private static FirstAdmin firstAdmin(Database database) {
        return new FirstAdmin(new AccountRepository(database), new PasswordHasher(4), Clock.systemUTC());
    }

    private static String invite(TestServer server, JsonNode admin) {
        Reply reply = server.post("/v1/teams/" + teamOf(admin) + "/invites", "{}", "Authorization", bearer(admin));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("token").asText();
    }

    /** A signup with an invitation; the password is the email's local part + " password". */
    private static Reply signupWith(TestServer server, String email, String invite) {
        String password = email.substring(0, email.indexOf('@')) + " password";
        return server.post("/v1/auth/signup", json("email", email, "password", password, "invite", invite));
    }

    private static String teamOf(JsonNode auth) {
        return auth.get("team_id").asText();
    }

    private static long userCount(Database database) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users")
                        .mapTo(Long.class)
                        .one());
    }
}
