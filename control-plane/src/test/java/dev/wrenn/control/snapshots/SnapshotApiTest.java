package dev.wrenn.control.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

class SnapshotApiTest {

    @OnBothDatabases
    void aSnapshotOfARunningSandboxPausesItAndClonesGetItsFilesAndSizes(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createForAda("{\"vcpus\":2,\"memory_mb\":1024}")
                    .get("id")
                    .asText();
            api.agent.vm(id).files.put("/home/user/data.txt", "kept".getBytes(StandardCharsets.UTF_8));

            Reply created = snapshot(api, "{\"sandbox_id\":\"" + id + "\",\"name\":\"my-env\"}", api.adaByKey());

            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode template = created.json();
            assertThat(template.get("name").asText()).isEqualTo("my-env");
            assertThat(template.get("type").asText()).isEqualTo("snapshot");
            assertThat(template.get("vcpus").asInt()).isEqualTo(2);
            assertThat(template.get("memory_mb").asInt()).isEqualTo(1024);
            assertThat(template.get("size_bytes").asLong()).isEqualTo(2048);
            assertThat(template.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(template.get("id").asText()).matches("tpl-[0-9a-f]{32}");
            assertThat(template.get("public").asBoolean()).isFalse();
            assertThat(api.get(id).get("status").asText()).isEqualTo("paused");
            String agentName = onlySnapshotOnAgent(api);
            assertThat(agentName).isEqualTo(template.get("id").asText());

            JsonNode clone = api.createForAda("{\"template\":\"my-env\",\"vcpus\":4,\"memory_mb\":4096}");

            assertThat(clone.get("template").asText()).isEqualTo("my-env");
            assertThat(clone.get("vcpus").asInt()).isEqualTo(2);
            assertThat(clone.get("memory_mb").asInt()).isEqualTo(1024);
            String cloneId = clone.get("id").asText();
            assertThat(api.agent.vm(cloneId).request.getTemplate()).isEqualTo(agentName);
            assertThat(api.agent.fileText(cloneId, "/home/user/data.txt")).isEqualTo("kept");
            assertThat(api.server
                            .post("/v1/sandboxes/" + id + "/resume", null, api.adaByKey())
                            .status())
                    .isEqualTo(200);
        }
    }

    @OnBothDatabases
    void aSnapshotWithoutANameGetsADefaultOneAndAPausedSandboxStaysPaused(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            api.server.post("/v1/sandboxes/" + id + "/pause", null, api.adaByKey());

            Reply created = snapshot(api, "{\"sandbox_id\":\"" + id + "\"}", api.adaByToken());

            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("name").asText()).matches("template-[0-9a-f]{8}");
            assertThat(api.get(id).get("status").asText()).isEqualTo("paused");
            assertThat(api.agent.vm(id).status).isEqualTo(SandboxStatus.SANDBOX_STATUS_PAUSED);
        }
    }

    @OnBothDatabases
    void theListShowsTheTeamsSnapshotsNewestFirstThenTheBuiltInBase(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            for (String name : List.of("first", "second")) {
                assertThat(snapshot(api, body(id, name), api.adaByKey()).status())
                        .isEqualTo(201);
            }

            assertThat(names(api.server.get("/v1/snapshots", api.adaByKey())))
                    .containsExactly("second", "first", "base");
            assertThat(names(api.server.get("/v1/snapshots?type=snapshot", api.adaByKey())))
                    .containsExactly("second", "first");
            JsonNode base =
                    api.server.get("/v1/snapshots?type=base", api.adaByKey()).json();
            assertThat(base).hasSize(1);
            assertThat(base.get(0).get("name").asText()).isEqualTo("base");
            assertThat(base.get(0).get("type").asText()).isEqualTo("base");
            assertThat(names(api.server.get("/v1/snapshots", api.bobByToken()))).containsExactly("base");
        }
    }

    @OnBothDatabases
    void aTakenNameIsRefusedUnlessOverwriteReplacesIt(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            snapshot(api, body(id, "env"), api.adaByKey());
            String firstOnAgent = onlySnapshotOnAgent(api);

            Reply taken = snapshot(api, body(id, "env"), api.adaByKey());
            assertThat(taken.status()).isEqualTo(409);
            assertThat(taken.errorCode()).isEqualTo("already_exists");
            assertThat(taken.errorMessage()).contains("env");

            api.agent.vm(id).files.put("/home/user/v", "2".getBytes(StandardCharsets.UTF_8));
            Reply replaced = api.server.post("/v1/snapshots?overwrite=true", body(id, "env"), api.adaByKey());

            assertThat(replaced.status()).isEqualTo(201);
            assertThat(replaced.json().get("id").asText())
                    .as("the host swapped the files under the same id")
                    .isEqualTo(firstOnAgent);
            assertThat(api.agent.snapshots).containsOnlyKeys(firstOnAgent);
            assertThat(names(api.server.get("/v1/snapshots?type=snapshot", api.adaByKey())))
                    .containsExactly("env");
            String clone = api.createForAda("{\"template\":\"env\"}").get("id").asText();
            assertThat(api.agent.fileText(clone, "/home/user/v")).isEqualTo("2");
        }
    }

    @OnBothDatabases
    void aFailedOverwriteLeavesTheOldTemplateListedAndBootable(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            api.agent.vm(id).files.put("/home/user/v", "1".getBytes(StandardCharsets.UTF_8));
            JsonNode first = snapshot(api, body(id, "env"), api.adaByKey()).json();
            api.agent.vm(id).files.put("/home/user/v", "2".getBytes(StandardCharsets.UTF_8));
            api.agent.snapshotFailure = new ApiException(ErrorCode.AGENT_ERROR, "CreateSnapshot: disk full");

            Reply failed = api.server.post("/v1/snapshots?overwrite=true", body(id, "env"), api.adaByKey());

            assertThat(failed.status()).isEqualTo(502);
            JsonNode listed = api.server
                    .get("/v1/snapshots?type=snapshot", api.adaByKey())
                    .json();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("id").asText())
                    .isEqualTo(first.get("id").asText());
            assertThat(listed.get(0).get("created_at").asText())
                    .isEqualTo(first.get("created_at").asText());
            String clone = api.createForAda("{\"template\":\"env\"}").get("id").asText();
            assertThat(api.agent.fileText(clone, "/home/user/v"))
                    .as("a clone boots the old template's files")
                    .isEqualTo("1");
        }
    }

    @OnBothDatabases
    void anOverwriteIsRefusedWhileClonesDependOnTheOldTemplateWhichStaysWhole(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            api.agent.vm(id).files.put("/home/user/v", "1".getBytes(StandardCharsets.UTF_8));
            snapshot(api, body(id, "env"), api.adaByKey());
            String clone = api.createForAda("{\"template\":\"env\"}").get("id").asText();
            api.agent.vm(id).files.put("/home/user/v", "2".getBytes(StandardCharsets.UTF_8));

            Reply refused = api.server.post("/v1/snapshots?overwrite=true", body(id, "env"), api.adaByKey());

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.errorMessage()).contains(clone);
            String second = api.createForAda("{\"template\":\"env\"}").get("id").asText();
            assertThat(api.agent.fileText(second, "/home/user/v")).isEqualTo("1");
        }
    }

    @OnBothDatabases
    void badRequestsAreRefusedWithAMessage(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            assertRefused(api.server.post("/v1/snapshots", "{}", api.adaByKey()), 400, "sandbox_id is required");
            assertRefused(api.server.post("/v1/snapshots", null, api.adaByKey()), 400, "JSON object");
            assertRefused(snapshot(api, body(id, "../etc"), api.adaByKey()), 400, "invalid template name");
            assertRefused(snapshot(api, body(id, "a/b"), api.adaByKey()), 400, "invalid template name");
            assertRefused(snapshot(api, body(id, "base"), api.adaByKey()), 400, "reserved");
            assertRefused(
                    api.server.post("/v1/snapshots?overwrite=yes", body(id, "x"), api.adaByKey()),
                    400,
                    "overwrite must be true or false");
            assertRefused(api.server.get("/v1/snapshots?type=other", api.adaByKey()), 400, "type must be");
            assertRefused(api.server.delete("/v1/snapshots/..", api.adaByKey()), 400, "invalid template name");

            api.server.delete("/v1/sandboxes/" + id, api.adaByKey());
            Reply stopped = snapshot(api, body(id, "late"), api.adaByKey());
            assertRefused(stopped, 409, "must be running or paused");
            assertThat(stopped.errorCode()).isEqualTo("invalid_state");
            assertThat(api.agent.snapshots).isEmpty();
        }
    }

    @OnBothDatabases
    void teamsSeeUseAndDeleteOnlyTheirOwnSnapshotsAndMayReuseNames(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String adas = api.createRunningForAda();
            api.agent.vm(adas).files.put("/owner", "ada".getBytes(StandardCharsets.UTF_8));
            snapshot(api, body(adas, "env"), api.adaByKey());

            assertRefused(snapshot(api, body(adas, "stolen"), api.bobByToken()), 404, "not found");
            assertRefused(api.server.delete("/v1/snapshots/env", api.bobByToken()), 404, "template env not found");
            // Bob's "env" is not Ada's: it goes to the agent as a plain image name, and gets none of her files.
            Reply bobsBoot = api.server.post("/v1/sandboxes", "{\"template\":\"env\"}", api.bobByToken());
            String bobsBootId = bobsBoot.json().get("id").asText();
            assertThat(api.agent.vm(bobsBootId).request.getTemplate()).isEqualTo("env");
            assertThat(api.agent.vm(bobsBootId).files).doesNotContainKey("/owner");
            String bobs = bobSandbox(api);
            Reply bobsEnv = snapshot(api, body(bobs, "env"), api.bobByToken());
            assertThat(bobsEnv.status()).isEqualTo(201);
            assertThat(api.agent.snapshots).hasSize(2);

            JsonNode clone = api.server
                    .post("/v1/sandboxes", "{\"template\":\"env\"}", api.bobByToken())
                    .json();
            assertThat(api.agent.vm(clone.get("id").asText()).files).doesNotContainKey("/owner");
            assertThat(names(api.server.get("/v1/snapshots?type=snapshot", api.adaByKey())))
                    .containsExactly("env");
        }
    }

    @OnBothDatabases
    void deletingASnapshotRemovesItsFilesButNotWhileClonesExist(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            snapshot(api, body(id, "env"), api.adaByKey());
            String clone = api.createForAda("{\"template\":\"env\"}").get("id").asText();

            Reply inUse = api.server.delete("/v1/snapshots/env", api.adaByKey());
            assertRefused(inUse, 409, "depend on it");
            assertThat(names(api.server.get("/v1/snapshots?type=snapshot", api.adaByKey())))
                    .containsExactly("env");

            api.server.delete("/v1/sandboxes/" + clone, api.adaByKey());
            Reply deleted = api.server.delete("/v1/snapshots/env", api.adaByKey());

            assertThat(deleted.status()).isEqualTo(204);
            assertThat(api.agent.snapshots).isEmpty();
            assertThat(names(api.server.get("/v1/snapshots?type=snapshot", api.adaByKey())))
                    .isEmpty();
            assertRefused(api.server.delete("/v1/snapshots/env", api.adaByKey()), 404, "template env not found");
        }
    }

    private static Reply snapshot(SandboxFixture api, String body, String... headers) {
        return api.server.post("/v1/snapshots", body, headers);
    }

    private static String body(String sandboxId, String name) {
        return "{\"sandbox_id\":\"" + sandboxId + "\",\"name\":\"" + name + "\"}";
    }

    private static String bobSandbox(SandboxFixture api) {
        Reply created = api.server.post("/v1/sandboxes", "{}", api.bobByToken());
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static String onlySnapshotOnAgent(SandboxFixture api) {
        assertThat(api.agent.snapshots).hasSize(1);
        return api.agent.snapshots.keySet().iterator().next();
    }

    private static List<String> names(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        reply.json().forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    private static void assertRefused(Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.errorMessage()).contains(message);
    }
}
