package dev.wrenn.control.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.reconciler.Reconciler;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

class PauseResumeApiTest {

    @OnBothDatabases
    void aPausedSandboxResumesWithItsTimeoutOnANewAddress(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            JsonNode created = api.createForAda("{\"timeout_sec\":300}");
            String id = created.get("id").asText();

            Reply paused = api.server.post("/v1/sandboxes/" + id + "/pause", null, api.adaByKey());

            assertThat(paused.status()).isEqualTo(200);
            assertThat(paused.json().get("status").asText()).isEqualTo("paused");
            assertThat(api.get(id).get("status").asText()).isEqualTo("paused");
            assertThat(api.agent.vm(id).status).isEqualTo(SandboxStatus.SANDBOX_STATUS_PAUSED);
            assertThat(api.server
                            .post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"echo\"}", api.adaByKey())
                            .status())
                    .isEqualTo(409);

            Reply resumed = api.server.post("/v1/sandboxes/" + id + "/resume", null, api.adaByToken());

            assertThat(resumed.status()).isEqualTo(200);
            JsonNode sandbox = resumed.json();
            assertThat(sandbox.get("status").asText()).isEqualTo("running");
            assertThat(sandbox.get("timeout_sec").asInt()).isEqualTo(300);
            assertThat(api.agent.resumedWithTimeout).containsEntry(id, 300);
            assertThat(sandbox.get("host_ip").asText())
                    .isEqualTo(api.agent.vm(id).hostIp)
                    .isNotEqualTo(created.get("host_ip").asText());
            assertThat(Instant.parse(sandbox.get("started_at").asText()))
                    .isAfterOrEqualTo(Instant.parse(created.get("started_at").asText()));
            assertThat(sandbox.get("last_active_at")).isEqualTo(sandbox.get("started_at"));
            assertThat(api.get(id)).isEqualTo(sandbox);
            assertThat(api.server
                            .post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"echo\"}", api.adaByKey())
                            .status())
                    .isEqualTo(200);
        }
    }

    @OnBothDatabases
    void pausingAPausedAndResumingARunningSandboxAreRefusedNamingTheStatus(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();

            Reply resume = api.server.post("/v1/sandboxes/" + id + "/resume", null, api.adaByKey());
            assertThat(resume.status()).isEqualTo(409);
            assertThat(resume.errorCode()).isEqualTo("invalid_state");
            assertThat(resume.errorMessage()).contains("is not paused (status: running)");

            api.server.post("/v1/sandboxes/" + id + "/pause", null, api.adaByKey());
            Reply pause = api.server.post("/v1/sandboxes/" + id + "/pause", null, api.adaByKey());
            assertThat(pause.status()).isEqualTo(409);
            assertThat(pause.errorCode()).isEqualTo("invalid_state");
            assertThat(pause.errorMessage()).contains("is not running (status: paused)");

            api.server.delete("/v1/sandboxes/" + id, api.adaByKey());
            assertThat(api.server
                            .post("/v1/sandboxes/" + id + "/resume", null, api.adaByKey())
                            .errorMessage())
                    .contains("is not paused (status: stopped)");
        }
    }

    @OnBothDatabases
    void anotherTeamsOrAnUnknownSandboxCannotBePausedOrResumed(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();

            for (String action : new String[] {"pause", "resume"}) {
                Reply bobs = api.server.post("/v1/sandboxes/" + id + "/" + action, null, api.bobByToken());
                assertThat(bobs.status()).isEqualTo(404);
                assertThat(bobs.errorCode()).isEqualTo("not_found");
                assertThat(api.server
                                .post("/v1/sandboxes/sb-00000000/" + action, null, api.adaByKey())
                                .status())
                        .isEqualTo(404);
                assertThat(api.server
                                .post("/v1/sandboxes/" + id + "/" + action, null)
                                .status())
                        .isEqualTo(401);
            }
            assertThat(api.get(id).get("status").asText()).isEqualTo("running");
            assertThat(api.agent.vm(id).status).isEqualTo(SandboxStatus.SANDBOX_STATUS_RUNNING);
        }
    }

    @OnBothDatabases
    void aPauseTheInactivityReaperBeatOnTheAgentStillSucceeds(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            api.agent.reaperPauses(id);

            Reply paused = api.server.post("/v1/sandboxes/" + id + "/pause", null, api.adaByKey());

            assertThat(paused.status()).isEqualTo(200);
            assertThat(paused.json().get("status").asText()).isEqualTo("paused");
            assertThat(api.get(id).get("status").asText()).isEqualTo("paused");
        }
    }

    @OnBothDatabases
    void aPauseWhoseRowTheReconcilerMarkedPausedMeanwhileStillSucceeds(Database database) {
        AtomicReference<Reconciler> reconciler = new AtomicReference<>();
        InMemoryHostAgent agent = new InMemoryHostAgent() {
            @Override
            public void pauseSandbox(String sandboxId) {
                super.pauseSandbox(sandboxId);
                reconciler.get().reconcileOnce();
            }
        };
        try (SandboxFixture api = SandboxFixture.start(database, agent, Config.DEFAULT_MAX_UPLOAD_BYTES)) {
            reconciler.set(new Reconciler(
                    new SandboxRepository(database), agent, Clock.systemUTC(), SandboxService.DEFAULT_HOST));
            String id = api.createRunningForAda();

            Reply paused = api.server.post("/v1/sandboxes/" + id + "/pause", null, api.adaByKey());

            assertThat(paused.status()).isEqualTo(200);
            assertThat(paused.json().get("status").asText()).isEqualTo("paused");
            assertThat(api.get(id).get("status").asText()).isEqualTo("paused");
        }
    }
}
