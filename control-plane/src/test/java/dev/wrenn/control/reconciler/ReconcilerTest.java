package dev.wrenn.control.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

class ReconcilerTest {

    @OnBothDatabases
    void aSandboxTheAgentNoLongerHasBecomesStopped(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String gone = api.createRunningForAda();
            String kept = api.createRunningForAda();
            api.agent.vms.remove(gone);

            List<Sandbox> changed = reconciler(api, database).reconcileOnce();

            assertThat(changed).extracting(Sandbox::id).containsExactly(gone);
            assertThat(status(api, gone)).isEqualTo("stopped");
            assertThat(status(api, kept)).isEqualTo("running");
            assertThat(api.server.get("/v1/sandboxes", api.adaByKey()).json()).hasSize(1);
        }
    }

    @OnBothDatabases
    void aVmThatDiedBecomesAnErrorWithTheAgentsReasonAndIsReleasedOnTheAgent(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            api.agent.vmDies(id, "QEMU killed by signal 9; console: Kernel panic");

            reconciler(api, database).reconcileOnce();

            assertThat(status(api, id)).isEqualTo("error");
            assertThat(api.get(id).get("error").asText()).isEqualTo("QEMU killed by signal 9; console: Kernel panic");
            assertThat(api.agent.vms).doesNotContainKey(id);
        }
    }

    @OnBothDatabases
    void aSandboxTheReaperPausedBecomesPausedAndStaysListed(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            api.agent.reaperPauses(id);

            reconciler(api, database).reconcileOnce();

            assertThat(status(api, id)).isEqualTo("paused");
            assertThat(api.server.get("/v1/sandboxes", api.adaByKey()).json()).hasSize(1);
            assertThat(api.agent.vms).containsKey(id);
            assertThat(api.server
                            .post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"echo\"}", api.adaByKey())
                            .status())
                    .isEqualTo(409);

            // Once gone from the agent, a paused sandbox is stopped too.
            api.agent.vms.remove(id);
            reconciler(api, database).reconcileOnce();
            assertThat(status(api, id)).isEqualTo("stopped");
        }
    }

    @OnBothDatabases
    void anUnreachableAgentChangesNothing(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            api.agent.unreachable = true;
            try (Reconciler reconciler = reconciler(api, database).start(Duration.ofMillis(20))) {
                api.agent.vms.clear();
                await().pollDelay(Duration.ofMillis(200)).until(() -> true);
                assertThat(status(api, id)).isEqualTo("running");

                api.agent.unreachable = false;
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> status(api, id).equals("stopped"));
            }
        }
    }

    @OnBothDatabases
    void endedSandboxesAreLeftAlone(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String deleted = api.createRunningForAda();
            api.server.delete("/v1/sandboxes/" + deleted, api.adaByKey());
            api.agent.vms.clear();

            assertThat(reconciler(api, database).reconcileOnce()).isEmpty();

            assertThat(status(api, deleted)).isEqualTo("stopped");
        }
    }

    @OnBothDatabases
    void theReconcilerRacingDeletesAndCreatesLosesNoUpdate(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database);
                Reconciler reconciler = reconciler(api, database).start(Duration.ofMillis(1))) {
            List<String> ids = SandboxFixture.inParallel(
                    20,
                    i -> api.server
                            .post("/v1/sandboxes", "{}", api.adaByKey())
                            .json()
                            .get("id")
                            .asText());
            List<Integer> deletes = SandboxFixture.inParallel(
                    10,
                    i -> api.server
                            .delete("/v1/sandboxes/" + ids.get(i), api.adaByKey())
                            .status());

            assertThat(deletes).containsOnly(204);
            for (int i = 0; i < 20; i++) {
                assertThat(status(api, ids.get(i))).as(ids.get(i)).isEqualTo(i < 10 ? "stopped" : "running");
            }
        }
    }

    private static Reconciler reconciler(SandboxFixture api, Database database) {
        return new Reconciler(
                new SandboxRepository(database), api.agent, Clock.systemUTC(), SandboxService.DEFAULT_HOST);
    }

    private static String status(SandboxFixture api, String id) {
        return api.get(id).get("status").asText();
    }
}
