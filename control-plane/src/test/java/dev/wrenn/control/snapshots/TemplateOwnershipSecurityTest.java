package dev.wrenn.control.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * The attack of issue 12 item 2: Bob's team tries every route that takes a template or snapshot id with Ada's
 * team's template (by its id and by its name) and must get a 404, the same answer as for a made-up id, without the
 * host agent ever being asked to clone Ada's files. A template Ada made public, and the built-in {@code base}, are
 * bootable by Bob.
 */
@Tag("security")
class TemplateOwnershipSecurityTest {
    private static final String SECRET = "/home/user/secret.txt";

    @OnBothDatabases
    void anotherTeamsTemplateIdIsNotFoundOnEveryRoute(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            AdaTemplate ada = adaSnapshot(api);
            String[] bob = api.bobByToken();

            for (String id : List.of(ada.id, "tpl-00000000000000000000000000000000")) {
                // Ada's id answers exactly as a made-up one: nothing tells Bob it exists.
                Reply reply = api.server.post("/v1/sandboxes", "{\"template\":\"" + id + "\"}", bob);
                assertNotFound(reply, id);
                assertThat(reply.errorMessage()).isEqualTo("template " + id + " not found");
            }
            for (String path : List.of("/sandboxes", "/v2/sandboxes")) {
                assertNotFound(api.server.post(path, "{\"templateID\":\"" + ada.id + "\"}", bob), path);
            }
            for (String ref : List.of(ada.id, ada.name)) {
                assertNotFound(api.server.delete("/v1/snapshots/" + ref, bob), "DELETE /v1/snapshots/" + ref);
                assertNotFound(
                        api.server.send("PATCH", "/v1/snapshots/" + ref, "{\"public\":true}", bob),
                        "PATCH /v1/snapshots/" + ref);
                assertNotFound(api.server.delete("/templates/" + ref, bob), "DELETE /templates/" + ref);
                for (String path : List.of("/templates/", "/v2/templates/")) {
                    assertNotFound(
                            api.server.send("PATCH", path + ref, "{\"public\":true}", bob), "PATCH " + path + ref);
                }
                assertNotFound(api.server.get("/templates/aliases/" + ref, bob), "alias " + ref);
            }
            for (String path : List.of("/snapshots", "/fork")) {
                assertNotFound(api.server.post("/sandboxes/" + ada.sandbox + path, "{}", bob), path);
            }
            assertNotFound(
                    api.server.post("/v1/snapshots", "{\"sandbox_id\":\"" + ada.sandbox + "\"}", bob),
                    "POST /v1/snapshots");
            assertThat(api.server.get("/snapshots?name=" + ada.name, bob).json())
                    .isEmpty();
            assertThat(api.server.get("/v1/snapshots?type=snapshot", bob).json())
                    .isEmpty();

            assertThat(api.agent.vms.values())
                    .noneMatch(vm -> vm.request.getTemplate().equals(ada.id));
            assertThat(api.agent.snapshots).containsKey(ada.id);
            assertThat(api.server
                            .get("/v1/snapshots?type=snapshot", api.adaByKey())
                            .json())
                    .hasSize(1);
        }
    }

    @OnBothDatabases
    void anotherTeamsTemplateNameBootsNothingOfTheirs(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            AdaTemplate ada = adaSnapshot(api);

            // For Bob the name is no template of his: it is passed on as the name of a host image (a real host has
            // none by that name and answers 404), never as Ada's template.
            Reply reply = api.server.post("/v1/sandboxes", "{\"template\":\"" + ada.name + "\"}", api.bobByToken());

            if (reply.status() == 201) {
                InMemoryHostAgent.Vm vm = api.agent.vm(reply.json().get("id").asText());
                assertThat(vm.request.getTemplate()).isEqualTo(ada.name).isNotEqualTo(ada.id);
                assertThat(vm.files).doesNotContainKey(SECRET);
            } else {
                assertThat(reply.status()).isEqualTo(404);
            }
        }
    }

    @OnBothDatabases
    void aPublicTemplateAndTheBuiltInBaseBootForEveryTeamUntilTheOwnerMakesItPrivate(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            AdaTemplate ada = adaSnapshot(api);
            Reply shared = api.server.send("PATCH", "/v1/snapshots/" + ada.name, "{\"public\":true}", api.adaByKey());
            assertThat(shared.status()).as(shared.body()).isEqualTo(200);
            assertThat(shared.json().get("public").asBoolean()).isTrue();

            Reply v1 = api.server.post("/v1/sandboxes", "{\"template\":\"" + ada.id + "\"}", api.bobByToken());
            assertThat(v1.status()).as(v1.body()).isEqualTo(201);
            assertThat(api.agent.fileText(v1.json().get("id").asText(), SECRET)).isEqualTo("ada's");
            Reply e2b = api.server.post("/v2/sandboxes", "{\"templateID\":\"" + ada.id + "\"}", api.bobByToken());
            assertThat(e2b.status()).as(e2b.body()).isEqualTo(201);
            Reply base = api.server.post("/v2/sandboxes", "{\"templateID\":\"base\"}", api.bobByToken());
            assertThat(base.status()).as(base.body()).isEqualTo(201);

            Reply unshared = api.server.send("PATCH", "/v2/templates/" + ada.id, "{\"public\":false}", api.adaByKey());
            assertThat(unshared.status()).as(unshared.body()).isEqualTo(200);
            assertNotFound(
                    api.server.post("/v1/sandboxes", "{\"template\":\"" + ada.id + "\"}", api.bobByToken()),
                    "after unsharing");
        }
    }

    @OnBothDatabases
    void templateIdsCarry128RandomBits(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            assertThat(adaSnapshot(api).id).matches("tpl-[0-9a-f]{32}");
        }
    }

    private record AdaTemplate(String sandbox, String id, String name) {}

    /** Ada writes a secret into a sandbox and freezes it into the template {@code ada-env}. */
    private static AdaTemplate adaSnapshot(SandboxFixture api) {
        String sandbox = api.createRunningForAda();
        api.agent.vm(sandbox).files.put(SECRET, "ada's".getBytes(StandardCharsets.UTF_8));
        Reply made = api.server.post(
                "/v1/snapshots", "{\"sandbox_id\":\"" + sandbox + "\",\"name\":\"ada-env\"}", api.adaByKey());
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return new AdaTemplate(sandbox, made.json().get("id").asText(), "ada-env");
    }

    private static void assertNotFound(Reply reply, String what) {
        assertThat(reply.status()).as("%s answered %s", what, reply.body()).isEqualTo(404);
        assertThat(reply.body()).as(what).doesNotContain("secret").doesNotContain("ada's");
    }
}
