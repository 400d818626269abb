package dev.wrenn.control.sandboxes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.db.TemplateType;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

class SandboxApiTest {

    @OnBothDatabases
    void aNewSandboxRunsWithTheDefaultsAndIsListedAndFound(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            Reply created = api.server.post("/v1/sandboxes", null, api.adaByKey());

            assertThat(created.status()).isEqualTo(201);
            JsonNode sandbox = created.json();
            String id = sandbox.get("id").asText();
            assertThat(id).matches("sb-[0-9a-f]{8}");
            assertThat(sandbox.get("status").asText()).isEqualTo("running");
            assertThat(sandbox.get("template").asText()).isEqualTo("base");
            assertThat(sandbox.get("vcpus").asInt()).isEqualTo(1);
            assertThat(sandbox.get("memory_mb").asInt()).isEqualTo(512);
            assertThat(sandbox.get("timeout_sec").asInt()).isZero();
            assertThat(sandbox.get("host_ip").asText()).isEqualTo("10.11.0.1");
            assertThat(sandbox.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(sandbox.get("started_at").asText())
                    .isEqualTo(sandbox.get("last_active_at").asText());
            assertThat(sandbox.get("metadata").size()).isZero();
            assertThat(sandbox.has("error")).isFalse();
            assertThat(api.agent.vm(id).request.getTemplate()).isEqualTo("base");

            assertThat(api.get(id)).isEqualTo(sandbox);
            assertThat(api.server.get("/v1/sandboxes", api.adaByToken()).json()).containsExactly(sandbox);
        }
    }

    @OnBothDatabases
    void theRequestedSizesTimeoutAndMetadataAreKeptAndSentToTheAgent(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            JsonNode sandbox = api.createForAda("{\"template\":\"python-3.12\",\"vcpus\":2,\"memory_mb\":1024,"
                    + "\"timeout_sec\":300,\"metadata\":{\"owner\":\"ada\",\"job\":\"42\"}}");

            assertThat(sandbox.get("template").asText()).isEqualTo("python-3.12");
            assertThat(sandbox.get("vcpus").asInt()).isEqualTo(2);
            assertThat(sandbox.get("memory_mb").asInt()).isEqualTo(1024);
            assertThat(sandbox.get("timeout_sec").asInt()).isEqualTo(300);
            assertThat(sandbox.get("metadata").get("job").asText()).isEqualTo("42");
            var sent = api.agent.vm(sandbox.get("id").asText()).request;
            assertThat(sent.getVcpus()).isEqualTo(2);
            assertThat(sent.getMemoryMb()).isEqualTo(1024);
            assertThat(sent.getTimeoutSec()).isEqualTo(300);
            assertThat(sent.getMetadataMap()).containsEntry("owner", "ada");
        }
    }

    @OnBothDatabases
    void badValuesAreRefusedWithAMessageNamingTheField(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            assertRefused(api, "{\"template\":\"../etc\"}", "invalid template name");
            assertRefused(api, "{\"template\":\"a/b\"}", "invalid template name");
            assertRefused(api, "{\"template\":\"\"}", "invalid template name");
            assertRefused(api, "{\"template\":\"x'; DROP TABLE sandboxes;--\"}", "invalid template name");
            assertRefused(api, "{\"vcpus\":0}", "vcpus must be between 1 and 16");
            assertRefused(api, "{\"vcpus\":17}", "vcpus must be between 1 and 16");
            assertRefused(api, "{\"memory_mb\":-512}", "memory_mb must be between 128 and 65536");
            assertRefused(api, "{\"memory_mb\":1000000}", "memory_mb must be between 128 and 65536");
            assertRefused(api, "{\"timeout_sec\":-1}", "timeout_sec must be between 0 and 86400");
            assertRefused(api, "{\"vcpus\":\"2\"}", "'vcpus' must be a whole number");
            assertRefused(api, "{\"vcpus\":1.5}", "'vcpus'");
            assertRefused(api, "{\"metadata\":{\"k\":1}}", "'metadata.k' must be a string");
            assertRefused(api, "{\"metadata\":[\"a\"]}", "'metadata' must be an object");
            assertRefused(api, "{\"metadata\":{\"\":\"empty key\"}}", "metadata keys");
            assertRefused(api, "not json", "invalid JSON body");
            assertThat(api.agent.vms).isEmpty();
            assertThat(api.server.get("/v1/sandboxes", api.adaByKey()).json()).isEmpty();
        }
    }

    @OnBothDatabases
    void aTeamsSnapshotTemplateFixesTheSizesAndIsBootedByItsId(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String team = api.ada.get("team_id").asText();
            new TemplateRepository(database)
                    .insert(new Template(
                            "tpl-0000aaaa", team, "my-snap", TemplateType.SNAPSHOT, 2, 2048, 1, Instant.now()));

            JsonNode sandbox = api.createForAda("{\"template\":\"my-snap\",\"vcpus\":1,\"memory_mb\":512}");

            assertThat(sandbox.get("template").asText()).isEqualTo("my-snap");
            assertThat(sandbox.get("vcpus").asInt()).isEqualTo(2);
            assertThat(sandbox.get("memory_mb").asInt()).isEqualTo(2048);
            var sent = api.agent.vm(sandbox.get("id").asText()).request;
            assertThat(sent.getTemplate()).isEqualTo("tpl-0000aaaa");
            assertThat(sent.getMemoryMb()).isEqualTo(2048);

            // Bob's team has no such template: for him the name is just a base image name.
            JsonNode bobs = api.server
                    .post("/v1/sandboxes", "{\"template\":\"my-snap\"}", api.bobByToken())
                    .json();
            assertThat(api.agent.vm(bobs.get("id").asText()).request.getTemplate())
                    .isEqualTo("my-snap");
            assertThat(bobs.get("memory_mb").asInt()).isEqualTo(512);
        }
    }

    @OnBothDatabases
    void aCreateTheAgentRefusesLeavesTheSandboxInErrorWithTheReason(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            api.agent.createFailure =
                    new ApiException(ErrorCode.AGENT_ERROR, "CreateSandbox sandbox sb-x: QEMU exited with 1");

            Reply reply = api.server.post("/v1/sandboxes", "{}", api.adaByKey());

            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.errorCode()).isEqualTo("agent_error");
            assertThat(reply.errorMessage()).contains("QEMU exited with 1");
            assertThat(api.server.get("/v1/sandboxes", api.adaByKey()).json()).isEmpty();

            api.agent.createFailure = new ApiException(ErrorCode.NOT_FOUND, "template nope not found");
            Reply missing = api.server.post("/v1/sandboxes", "{\"template\":\"nope\"}", api.adaByKey());
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.errorMessage()).contains("template nope not found");
        }
    }

    @OnBothDatabases
    void aFailedCreateKeepsItsReasonOnTheRow(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            api.agent.createFailure = new ApiException(ErrorCode.AGENT_ERROR, "boot timed out");
            api.server.post("/v1/sandboxes", "{}", api.adaByKey());

            var rows = new dev.wrenn.control.db.SandboxRepository(database);
            var failed = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT id FROM sandboxes")
                            .mapTo(String.class)
                            .one());
            var row = rows.findAnyTeam(failed).orElseThrow();
            assertThat(row.status()).isEqualTo(dev.wrenn.control.db.SandboxStatus.ERROR);
            assertThat(row.errorReason()).isEqualTo("boot timed out");
            assertThat(api.get(failed).get("error").asText()).isEqualTo("boot timed out");
        }
    }

    @OnBothDatabases
    void deleteStopsTheVmAndHidesTheSandboxFromTheListButNotFromGet(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String first = api.createRunningForAda();
            String second = api.createRunningForAda();

            assertThat(api.server
                            .delete("/v1/sandboxes/" + first, api.adaByKey())
                            .status())
                    .isEqualTo(204);

            assertThat(api.agent.vms).containsOnlyKeys(second);
            assertThat(api.get(first).get("status").asText()).isEqualTo("stopped");
            List<String> listed = new ArrayList<>();
            api.server
                    .get("/v1/sandboxes", api.adaByKey())
                    .json()
                    .forEach(s -> listed.add(s.get("id").asText()));
            assertThat(listed).containsExactly(second);
            // Deleting again, or a VM the agent no longer knows, is still a success.
            assertThat(api.server
                            .delete("/v1/sandboxes/" + first, api.adaByKey())
                            .status())
                    .isEqualTo(204);
            api.agent.vms.clear();
            assertThat(api.server
                            .delete("/v1/sandboxes/" + second, api.adaByKey())
                            .status())
                    .isEqualTo(204);
            assertThat(api.get(second).get("status").asText()).isEqualTo("stopped");
        }
    }

    @OnBothDatabases
    void theListIsNewestFirst(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                created.add(api.createRunningForAda());
                Thread.sleep(5); // distinct creation times, so the order is by time and not by id
            }
            List<String> listed = new ArrayList<>();
            api.server
                    .get("/v1/sandboxes", api.adaByKey())
                    .json()
                    .forEach(s -> listed.add(s.get("id").asText()));
            assertThat(listed).containsExactly(created.get(2), created.get(1), created.get(0));
        }
    }

    @OnBothDatabases
    void pingOfARunningSandboxRecordsActivityAndOfAStoppedOneIsAConflict(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            String before = api.get(id).get("last_active_at").asText();
            Thread.sleep(5);

            assertThat(api.server
                            .post("/v1/sandboxes/" + id + "/ping", null, api.adaByKey())
                            .status())
                    .isEqualTo(204);
            assertThat(Instant.parse(api.get(id).get("last_active_at").asText()))
                    .isAfter(Instant.parse(before));

            api.server.delete("/v1/sandboxes/" + id, api.adaByKey());
            Reply stopped = api.server.post("/v1/sandboxes/" + id + "/ping", null, api.adaByKey());
            assertThat(stopped.status()).isEqualTo(409);
            assertThat(stopped.errorCode()).isEqualTo("invalid_state");
            assertThat(stopped.errorMessage()).isEqualTo("sandbox " + id + " is not running (status: stopped)");
        }
    }

    @OnBothDatabases
    void anotherTeamsSandboxIsNotFoundOnEveryRoute(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            String base = "/v1/sandboxes/" + id;

            List<Reply> replies = List.of(
                    api.server.get(base, api.bobByToken()),
                    api.server.delete(base, api.bobByToken()),
                    api.server.post(base + "/ping", null, api.bobByToken()),
                    api.server.post(base + "/exec", "{\"cmd\":\"echo\"}", api.bobByToken()),
                    api.server.post(base + "/files/read", "{\"path\":\"/etc/hostname\"}", api.bobByToken()),
                    api.server.post(base + "/files/stream/read", "{\"path\":\"/etc/hostname\"}", api.bobByToken()),
                    api.server.postBytes(
                            base + "/files/write", new byte[0], "multipart/form-data; boundary=x", api.bobByToken()),
                    api.server.postBytes(
                            base + "/files/stream/write",
                            new byte[0],
                            "multipart/form-data; boundary=x",
                            api.bobByToken()));

            assertThat(replies).allSatisfy(reply -> {
                assertThat(reply.status()).as(reply.body()).isEqualTo(404);
                assertThat(reply.errorMessage()).isEqualTo("sandbox " + id + " not found");
            });
            assertThat(api.server.get("/v1/sandboxes", api.bobByToken()).json()).isEmpty();
            assertThat(api.agent.vms).containsOnlyKeys(id);
            assertThat(api.agent.execs).isEmpty();
            assertThat(api.get(id).get("status").asText()).isEqualTo("running");
        }
    }

    @OnBothDatabases
    void everySandboxRouteNeedsCredentials(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            assertThat(api.server.get("/v1/sandboxes").status()).isEqualTo(401);
            assertThat(api.server.post("/v1/sandboxes", "{}").status()).isEqualTo(401);
            assertThat(api.server.get("/v1/sandboxes/" + id).status()).isEqualTo(401);
            assertThat(api.server
                            .post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"echo\"}", "X-API-Key", "wrn_x")
                            .status())
                    .isEqualTo(401);
        }
    }

    @OnBothDatabases
    void sqlMetacharactersInEveryStringFieldAreStoredAndShownVerbatim(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String nasty = "o'brien\"; DROP TABLE sandboxes;-- 100% _x_ \\ ünï 🙂";
            JsonNode sandbox = api.createForAda(
                    "{\"metadata\":{\"" + nasty.replace("\\", "\\\\").replace("\"", "\\\"") + "\":\""
                            + nasty.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}");
            String id = sandbox.get("id").asText();

            assertThat(api.get(id).get("metadata").get(nasty).asText()).isEqualTo(nasty);
            assertThat(api.server
                            .get("/v1/sandboxes/sb-x'%20OR%20'1'='1", api.adaByKey())
                            .status())
                    .isEqualTo(404);
            assertThat(api.server
                            .delete("/v1/sandboxes/'%3B%20DELETE%20FROM%20sandboxes%3B--", api.adaByKey())
                            .status())
                    .isEqualTo(404);
            Reply exec = api.server.post(
                    "/v1/sandboxes/" + id + "/exec",
                    "{\"cmd\":\"echo\",\"args\":[\""
                            + nasty.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]}",
                    api.adaByKey());
            assertThat(exec.json().get("stdout").asText()).isEqualTo(nasty + "\n");
            assertThat(api.server.get("/v1/sandboxes", api.adaByKey()).json()).hasSize(1);
        }
    }

    @OnBothDatabases
    void twentyParallelCreatesAllRunAndTwentyParallelDeletesStopThemAll(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            List<Reply> created =
                    SandboxFixture.inParallel(20, i -> api.server.post("/v1/sandboxes", "{}", api.adaByKey()));
            assertThat(created)
                    .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(201));
            List<String> ids =
                    created.stream().map(r -> r.json().get("id").asText()).toList();
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(api.server.get("/v1/sandboxes", api.adaByKey()).json()).hasSize(20);
            assertThat(api.agent.vms).hasSize(20);

            List<Integer> deletes = SandboxFixture.inParallel(
                    20,
                    i -> api.server
                            .delete("/v1/sandboxes/" + ids.get(i), api.adaByKey())
                            .status());

            assertThat(deletes).containsOnly(204);
            assertThat(api.server.get("/v1/sandboxes", api.adaByKey()).json()).isEmpty();
            assertThat(api.agent.vms).isEmpty();
            assertThat(ids)
                    .allSatisfy(
                            id -> assertThat(api.get(id).get("status").asText()).isEqualTo("stopped"));
        }
    }

    @OnBothDatabases
    void aDeleteDuringTheCreateWinsAndTheBootedVmIsDestroyed(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            CountDownLatch gate = new CountDownLatch(1);
            api.agent.createGate = gate;
            Thread creator = Thread.ofVirtual().start(() -> {
                Reply reply = api.server.post("/v1/sandboxes", "{}", api.adaByKey());
                assertThat(reply.status()).as(reply.body()).isEqualTo(409);
                assertThat(reply.errorMessage()).contains("was destroyed while it was being created");
            });
            String id = awaitPendingRow(database);

            assertThat(api.get(id).get("status").asText()).isEqualTo("pending");
            assertThat(api.server.delete("/v1/sandboxes/" + id, api.adaByKey()).status())
                    .isEqualTo(204);
            gate.countDown();
            creator.join();

            assertThat(api.get(id).get("status").asText()).isEqualTo("stopped");
            assertThat(api.agent.vms).isEmpty();
        }
    }

    private static String awaitPendingRow(Database database) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            List<String> ids = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT id FROM sandboxes WHERE status = 'pending'")
                            .mapTo(String.class)
                            .list());
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no pending sandbox row appeared");
    }

    private static void assertRefused(SandboxFixture api, String body, String message) {
        Reply reply = api.server.post("/v1/sandboxes", body, api.adaByKey());
        assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_request");
        assertThat(reply.errorMessage()).as(body).contains(message);
    }
}
