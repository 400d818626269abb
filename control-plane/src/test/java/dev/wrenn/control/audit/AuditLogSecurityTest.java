package dev.wrenn.control.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;

/**
 * Issue 12 item 11: each team has an audit log of logins, key, sandbox and template changes that only the team's
 * administrators read, and that never holds a secret.
 */
@Tag("security")
class AuditLogSecurityTest {

    @OnBothDatabases
    void onlyTheTeamsOwnAdministratorsReadItsLog(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String adasTeam = api.ada.get("team_id").asText();
            JsonNode carol = api.server.signup("carol@example.com", "carol's password");
            addMember(database, adasTeam, carol.get("user_id").asText(), "member");
            String path = "/v1/teams/" + adasTeam + "/audit";

            Reply byAda = api.server.get(path, api.adaByToken());
            Reply byMember = api.server.get(path, "Authorization", TestServer.bearer(carol));
            Reply byOtherTeamsOwner = api.server.get(path, api.bobByToken());
            Reply byKey = api.server.get(path, api.adaByKey());
            Reply byNobody = api.server.get(path);
            Reply ownLogOfBob =
                    api.server.get("/v1/teams/" + api.bob.get("team_id").asText() + "/audit", api.bobByToken());

            assertThat(byAda.status()).as(byAda.body()).isEqualTo(200);
            assertThat(byMember.status()).isEqualTo(403);
            assertThat(byMember.errorCode()).isEqualTo("forbidden");
            assertThat(byOtherTeamsOwner.status()).isEqualTo(404);
            assertThat(byOtherTeamsOwner.body()).doesNotContain("api_key.create");
            assertThat(byKey.status()).isEqualTo(401);
            assertThat(byNobody.status()).isEqualTo(401);
            assertThat(ownLogOfBob.status()).isEqualTo(200);
            assertThat(actions(ownLogOfBob.json())).doesNotContain("api_key.create");
        }
    }

    @OnBothDatabases
    void everyListedActionIsRecordedWithItsActorAndNoSecret(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String adasTeam = api.ada.get("team_id").asText();
            String token = api.server
                    .post("/v1/auth/login", TestServer.json("email", "ada@example.com", "password", "correct horse"))
                    .json()
                    .get("token")
                    .asText();
            api.server.post("/v1/auth/login", TestServer.json("email", "ada@example.com", "password", "wrong guess"));
            String doomedKey = api.server
                    .post("/v1/api-keys", "{\"name\":\"doomed\"}", api.adaByToken())
                    .json()
                    .get("id")
                    .asText();
            assertThat(api.server
                            .delete("/v1/api-keys/" + doomedKey, api.adaByToken())
                            .status())
                    .isEqualTo(204);
            String sandbox = api.createRunningForAda();
            Reply snapshot = api.server.post(
                    "/v1/snapshots", "{\"sandbox_id\":\"" + sandbox + "\",\"name\":\"golden\"}", api.adaByKey());
            assertThat(snapshot.status()).as(snapshot.body()).isEqualTo(201);
            assertThat(api.server
                            .send("PATCH", "/v1/snapshots/golden", "{\"public\":true}", api.adaByKey())
                            .status())
                    .isEqualTo(200);
            assertThat(api.server.delete("/v1/snapshots/golden", api.adaByKey()).status())
                    .isEqualTo(204);
            assertThat(api.server
                            .delete("/v1/sandboxes/" + sandbox, api.adaByKey())
                            .status())
                    .isEqualTo(204);
            api.server.post(
                    "/v1/auth/password",
                    TestServer.json("current_password", "correct horse", "new_password", "a new horse"),
                    "Authorization",
                    "Bearer " + token);
            String fresh = api.server
                    .post("/v1/auth/login", TestServer.json("email", "ada@example.com", "password", "a new horse"))
                    .json()
                    .get("token")
                    .asText();
            api.server.post("/v1/auth/logout", "", "Authorization", "Bearer " + fresh);
            String reader = api.server
                    .post("/v1/auth/login", TestServer.json("email", "ada@example.com", "password", "a new horse"))
                    .json()
                    .get("token")
                    .asText();

            Reply log =
                    api.server.get("/v1/teams/" + adasTeam + "/audit?limit=500", "Authorization", "Bearer " + reader);

            assertThat(log.status()).as(log.body()).isEqualTo(200);
            assertThat(actions(log.json()))
                    .contains(
                            "auth.login",
                            "auth.login_failed",
                            "api_key.create",
                            "api_key.delete",
                            "sandbox.create",
                            "template.create",
                            "template.public",
                            "template.delete",
                            "sandbox.delete",
                            "auth.password_changed",
                            "auth.logout");
            JsonNode created = entry(log.json(), "sandbox.create");
            assertThat(created.get("actor_type").asText()).isEqualTo("api_key");
            assertThat(created.get("target").asText()).isEqualTo(sandbox);
            assertThat(entry(log.json(), "api_key.delete").get("actor_id").asText())
                    .isEqualTo(api.ada.get("user_id").asText());
            assertThat(entry(log.json(), "auth.login_failed").get("actor_type").asText())
                    .isEqualTo("anonymous");
            assertThat(log.body())
                    .doesNotContain(api.adaKey)
                    .doesNotContain("correct horse")
                    .doesNotContain("a new horse")
                    .doesNotContain("wrong guess")
                    .doesNotContain(token)
                    .doesNotContain(fresh);
        }
    }

    @OnBothDatabases
    void pagesFollowTheCursorNewestFirstAndTimeFiltersApply(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String path = "/v1/teams/" + api.ada.get("team_id").asText() + "/audit";
            for (int i = 0; i < 4; i++) {
                api.server.post("/v1/api-keys", "{\"name\":\"k" + i + "\"}", api.adaByToken());
            }
            List<String> all = ids(api.server.get(path, api.adaByToken()).json());

            List<String> paged = new ArrayList<>();
            String cursor = "";
            for (int page = 0; page < 10; page++) {
                JsonNode body = api.server
                        .get(path + "?limit=2&cursor=" + cursor, api.adaByToken())
                        .json();
                paged.addAll(ids(body));
                if (body.path("next_cursor").isMissingNode()
                        || body.get("next_cursor").isNull()) {
                    break;
                }
                cursor = body.get("next_cursor").asText();
            }

            assertThat(all).hasSizeGreaterThanOrEqualTo(5);
            assertThat(paged).containsExactlyElementsOf(all);
            assertThat(new HashSet<>(paged)).hasSameSizeAs(paged);
            assertThat(ids(api.server
                            .get(path + "?since=2999-01-01T00:00:00Z", api.adaByToken())
                            .json()))
                    .isEmpty();
            assertThat(ids(api.server
                            .get(path + "?until=2000-01-01T00:00:00Z", api.adaByToken())
                            .json()))
                    .isEmpty();
            assertThat(api.server.get(path + "?limit=0", api.adaByToken()).status())
                    .isEqualTo(400);
            assertThat(api.server
                            .get(path + "?cursor=bm90LWEtY3Vyc29y", api.adaByToken())
                            .status())
                    .isEqualTo(400);
            assertThat(api.server
                            .get(path + "?since=yesterday", api.adaByToken())
                            .status())
                    .isEqualTo(400);
        }
    }

    @OnBothDatabases
    void invitationsAndTheMembersTheyBringAreRecorded(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String adasTeam = api.ada.get("team_id").asText();
            String invites = "/v1/teams/" + adasTeam + "/invites";
            JsonNode revoked = api.server.post(invites, "{}", api.adaByToken()).json();
            assertThat(api.server
                            .delete(invites + "/" + revoked.get("id").asText(), api.adaByToken())
                            .status())
                    .isEqualTo(204);
            JsonNode used = api.server.post(invites, "{}", api.adaByToken()).json();
            Reply joined = api.server.post(
                    "/v1/auth/signup",
                    TestServer.json(
                            "email",
                            "dora@example.com",
                            "password",
                            "dora's password",
                            "invite",
                            used.get("token").asText()));
            assertThat(joined.status()).as(joined.body()).isEqualTo(202);

            JsonNode log = api.server
                    .get("/v1/teams/" + adasTeam + "/audit", api.adaByToken())
                    .json();
            assertThat(entry(log, "invite.revoke").get("target").asText())
                    .isEqualTo(revoked.get("id").asText());
            assertThat(ids(log)).hasSizeGreaterThanOrEqualTo(3);
            assertThat(actions(log)).contains("invite.create", "invite.revoke", "member.add");
            assertThat(log.toString())
                    .doesNotContain(used.get("token").asText())
                    .doesNotContain(revoked.get("token").asText());
        }
    }

    /** Until invitations exist, a second member is added to a team as the invitation flow would. */
    private static void addMember(Database database, String teamId, String userId, String role) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("INSERT INTO users_teams (user_id, team_id, is_default, role,"
                                + " created_at) VALUES (:user, :team, FALSE, :role, 0)")
                        .bind("user", userId)
                        .bind("team", teamId)
                        .bind("role", role)
                        .execute());
    }

    private static Set<String> actions(JsonNode page) {
        Set<String> actions = new HashSet<>();
        page.get("entries").forEach(e -> actions.add(e.get("action").asText()));
        return actions;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("entries").forEach(e -> ids.add(e.get("id").asText()));
        return ids;
    }

    private static JsonNode entry(JsonNode page, String action) {
        for (JsonNode e : page.get("entries")) {
            if (e.get("action").asText().equals(action)) {
                return e;
            }
        }
        throw new AssertionError("no " + action + " line in " + page);
    }
}
