package dev.wrenn.control.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import org.junit.jupiter.api.Tag;

/**
 * Issue 12 item 8: a team at a quota an administrator set is refused (429 {@code quota_exceeded}, E2B's 429) with a
 * message naming the limit, and nothing is created; a non-administrator cannot change quotas.
 */
@Tag("security")
class TeamQuotaSecurityTest {

    @OnBothDatabases
    void aTeamAtItsQuotaIsRefusedAndNothingIsCreated(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            makeAdaAdministrator(database);
            String bobsTeam = api.bob.get("team_id").asText();
            Reply set = api.server.send(
                    "PUT",
                    "/v1/admin/teams/" + bobsTeam + "/quotas",
                    "{\"running\":1,\"vcpus\":2,\"templates\":0}",
                    api.adaByToken());
            assertThat(set.status()).as(set.body()).isEqualTo(200);
            assertThat(set.json().get("quota").get("running").asInt()).isEqualTo(1);

            Reply first = api.server.post("/v1/sandboxes", "{}", api.bobByToken());
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            int vms = api.agent.vms.size();

            Reply second = api.server.post("/v1/sandboxes", "{}", api.bobByToken());
            assertThat(second.status()).isEqualTo(429);
            assertThat(second.errorCode()).isEqualTo("quota_exceeded");
            assertThat(second.errorMessage()).contains("at most 1 running sandboxes");
            Reply e2b = api.server.post("/v2/sandboxes", "{\"templateID\":\"base\"}", api.bobByToken());
            assertThat(e2b.status()).isEqualTo(429);
            assertThat(e2b.json().get("code").asInt()).isEqualTo(429);
            Reply snapshot = api.server.post(
                    "/v1/snapshots",
                    "{\"sandbox_id\":\"" + first.json().get("id").asText() + "\"}",
                    api.bobByToken());
            assertThat(snapshot.status()).isEqualTo(429);
            assertThat(snapshot.errorMessage()).contains("at most 0 templates");

            assertThat(api.agent.vms).hasSize(vms);
            assertThat(api.agent.snapshots).isEmpty();
            assertThat(api.server.get("/v1/sandboxes", api.bobByToken()).json()).hasSize(1);
            assertThat(api.server
                            .get("/v1/quotas", api.bobByToken())
                            .json()
                            .get("usage")
                            .get("running")
                            .asInt())
                    .isEqualTo(1);
            // Ada's team keeps the default quota.
            assertThat(api.server.post("/v1/sandboxes", "{}", api.adaByKey()).status())
                    .isEqualTo(201);
        }
    }

    @OnBothDatabases
    void onlyAnAdministratorSetsQuotas(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String bobsTeam = api.bob.get("team_id").asText();
            String path = "/v1/admin/teams/" + bobsTeam + "/quotas";

            Reply byBob = api.server.send("PUT", path, "{\"running\":1000}", api.bobByToken());
            Reply byKey = api.server.send("PUT", path, "{\"running\":1000}", api.adaByKey());

            assertThat(byBob.status()).isEqualTo(403);
            assertThat(byBob.errorCode()).isEqualTo("forbidden");
            assertThat(byKey.status()).isEqualTo(401);
            assertThat(api.server
                            .get("/v1/quotas", api.bobByToken())
                            .json()
                            .get("quota")
                            .get("running")
                            .asInt())
                    .isEqualTo(Quota.DEFAULT.running());
        }
    }

    /** Until accounts have their own administrator concept, the users.is_admin column is the flag. */
    private static void makeAdaAdministrator(Database database) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("UPDATE users SET is_admin = TRUE WHERE email = 'ada@example.com'")
                        .execute());
    }
}
