package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class E2bApiTest {

    @OnBothDatabases
    void createAnswersTheSandboxWithTheGuestTokenAndDeliversEnvVarsToTheAgent(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            Reply reply = f.server.post(
                    "/v2/sandboxes",
                    "{\"templateID\":\"base\",\"metadata\":{\"a\":\"b\"},\"envVars\":{\"FOO\":\"bar\"}}",
                    f.adaByKey());

            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            JsonNode body = reply.json();
            String id = body.get("sandboxID").asText();
            assertThat(body.get("templateID").asText()).isEqualTo("base");
            assertThat(body.get("envdVersion").asText()).isEqualTo("0.6.13");
            assertThat(body.get("envdAccessToken").asText()).isEqualTo(InMemoryHostAgent.accessToken(id));
            assertThat(body.has("domain")).isTrue();
            assertThat(body.get("domain").isNull()).isTrue();
            assertThat(f.agent.vm(id).request.getEnvVarsMap()).containsEntry("FOO", "bar");
            assertThat(f.get(id).get("metadata").get("a").asText())
                    .as("the same sandbox in /v1")
                    .isEqualTo("b");
        }
    }

    @OnBothDatabases
    void theV1CreatePathWorksTooAndTheTemplateDefaultsToBase(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            Reply reply = f.server.post("/sandboxes", "{}", f.adaByKey());

            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.json().get("templateID").asText()).isEqualTo("base");
        }
    }

    @OnBothDatabases
    void getInfoShowsTheDetailAndTheEndTimeSetByTheTimeout(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            Instant before = Instant.now();
            String id = create(f, "{\"timeout\":600,\"metadata\":{\"k\":\"v\"}}");

            JsonNode info = f.server.get("/sandboxes/" + id, f.adaByKey()).json();

            assertThat(info.get("sandboxID").asText()).isEqualTo(id);
            assertThat(info.get("state").asText()).isEqualTo("running");
            assertThat(info.get("cpuCount").asInt()).isEqualTo(1);
            assertThat(info.get("memoryMB").asInt()).isEqualTo(512);
            assertThat(info.get("metadata").get("k").asText()).isEqualTo("v");
            assertThat(info.get("envdAccessToken").asText()).isEqualTo(InMemoryHostAgent.accessToken(id));
            assertThat(Instant.parse(info.get("endAt").asText())).isAfterOrEqualTo(before.plusSeconds(599));
        }
    }

    @OnBothDatabases
    void killAnswers204ThenA404BodyWithTheCode(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{}");

            assertThat(f.server.delete("/sandboxes/" + id, f.adaByKey()).status())
                    .isEqualTo(204);
            Reply again = f.server.delete("/sandboxes/" + id, f.adaByKey());

            assertThat(again.status()).isEqualTo(404);
            assertThat(again.json().get("code").asInt()).isEqualTo(404);
            assertThat(again.json().get("message").asText()).contains(id);
            assertThat(f.server
                            .get("/sandboxes/" + id, f.adaByKey())
                            .json()
                            .get("code")
                            .asInt())
                    .isEqualTo(404);
        }
    }

    @OnBothDatabases
    void anotherTeamsSandboxIsNotFound(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{}");

            Reply reply = f.server.get("/sandboxes/" + id, f.bobByToken());

            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json().get("code").asInt()).isEqualTo(404);
        }
    }

    @OnBothDatabases
    void aMissingKeyIsA401InE2bsShape(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            Reply reply = f.server.get("/v2/sandboxes");

            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.json().get("code").asInt()).isEqualTo(401);
        }
    }

    @OnBothDatabases
    void pauseAnswers204ThenA409AndConnectResumesWith201(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{}");

            assertThat(f.server
                            .post("/sandboxes/" + id + "/pause", "{}", f.adaByKey())
                            .status())
                    .isEqualTo(204);
            Reply again = f.server.post("/sandboxes/" + id + "/pause", "{}", f.adaByKey());
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("code").asInt()).isEqualTo(409);
            assertThat(f.server
                            .get("/sandboxes/" + id, f.adaByKey())
                            .json()
                            .get("state")
                            .asText())
                    .isEqualTo("paused");

            Reply resumed = f.server.post("/v2/sandboxes/" + id + "/connect", "{}", f.adaByKey());
            assertThat(resumed.status()).isEqualTo(201);
            assertThat(resumed.json().get("sandboxID").asText()).isEqualTo(id);
            Reply running = f.server.post("/sandboxes/" + id + "/connect", "{\"timeout\":60}", f.adaByKey());
            assertThat(running.status()).isEqualTo(200);
            assertThat(f.get(id).get("status").asText()).isEqualTo("running");
        }
    }

    @OnBothDatabases
    void connectExtendsTheEndButNeverShortensIt(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{\"timeout\":3600}");
            Instant end = endAt(f, id);

            f.server.post("/v2/sandboxes/" + id + "/connect", "{\"timeout\":60}", f.adaByKey());
            assertThat(endAt(f, id)).isEqualTo(end);

            f.server.post("/v2/sandboxes/" + id + "/connect", "{\"timeout\":7200}", f.adaByKey());
            assertThat(endAt(f, id)).isAfter(end);
        }
    }

    @OnBothDatabases
    void connectToAnUnknownSandboxIsA404Body(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            Reply reply = f.server.post("/v2/sandboxes/sb-00000000/connect", "{}", f.adaByKey());

            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json().get("code").asInt()).isEqualTo(404);
        }
    }

    @OnBothDatabases
    void setTimeoutCanShortenAndTheSchedulerKillsAnExpiredSandbox(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{\"timeout\":3600}");
            String other = create(f, "{\"timeout\":3600}");

            assertThat(f.server
                            .post("/sandboxes/" + id + "/timeout", "{\"timeout\":0}", f.adaByKey())
                            .status())
                    .isEqualTo(204);
            assertThat(scheduler(database, f).runOnce()).isEqualTo(1);

            assertThat(f.server.get("/sandboxes/" + id, f.adaByKey()).status()).isEqualTo(404);
            assertThat(f.agent.destroyed).contains(id).doesNotContain(other);
            assertThat(f.get(id).get("status").asText()).isEqualTo("stopped");
        }
    }

    @OnBothDatabases
    void anAutoPauseSandboxIsPausedAtItsEndAndConnectBringsItBack(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{\"timeout\":0,\"autoPause\":true}");

            scheduler(database, f).runOnce();

            JsonNode info = f.server.get("/sandboxes/" + id, f.adaByKey()).json();
            assertThat(info.get("state").asText()).isEqualTo("paused");
            assertThat(info.get("lifecycle").get("onTimeout").asText()).isEqualTo("pause");
            assertThat(f.server
                            .post("/v2/sandboxes/" + id + "/connect", "{\"timeout\":60}", f.adaByKey())
                            .status())
                    .isEqualTo(201);
            assertThat(endAt(f, id)).isAfter(Instant.now().plusSeconds(30));
        }
    }

    @OnBothDatabases
    void listFiltersByDoublyEncodedMetadataStateAndTemplate(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String spaced = create(f, "{\"metadata\":{\"k\":\"v w\"}}");
            create(f, "{\"metadata\":{\"k\":\"other\"}}");
            String paused = create(f, "{\"metadata\":{\"k\":\"v w\"}}");
            f.server.post("/sandboxes/" + paused + "/pause", "{}", f.adaByKey());

            assertThat(ids(f.server.get("/v2/sandboxes?metadata=k%3Dv%252520w", f.adaByKey())))
                    .containsExactlyInAnyOrder(spaced, paused);
            assertThat(ids(f.server.get("/v2/sandboxes?metadata=k%3Dv%252520w&state=running", f.adaByKey())))
                    .containsExactly(spaced);
            assertThat(ids(f.server.get("/v2/sandboxes?state=paused", f.adaByKey())))
                    .containsExactly(paused);
            assertThat(ids(f.server.get("/v2/sandboxes?template=nope", f.adaByKey())))
                    .isEmpty();
            assertThat(ids(f.server.get("/v2/sandboxes", f.bobByToken()))).isEmpty();
        }
    }

    @OnBothDatabases
    void listPagesWithTheNextTokenHeaderUntilItIsAbsent(Database database) throws Exception {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                created.add(create(f, "{}"));
            }
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String query = "/v2/sandboxes?limit=2&order=asc"
                        + (token == null ? "" : "&nextToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
                var response = f.server
                        .http()
                        .send(
                                java.net.http.HttpRequest.newBuilder(f.server.uri(query))
                                        .header("X-API-KEY", f.adaKey)
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                seen.addAll(ids(new Reply(response.statusCode(), response.body(), "")));
                token = response.headers().firstValue("x-next-token").orElse(null);
                pages++;
            } while (token != null);

            assertThat(pages).isEqualTo(3);
            assertThat(seen).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();
        }
    }

    @OnBothDatabases
    void anE2bKeyCanBeIssuedAndUsedOnBothApis(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            Reply issued = f.server.post("/v1/api-keys", "{\"name\":\"sdk\",\"format\":\"e2b\"}", f.adaByToken());
            String key = issued.json().get("key").asText();

            assertThat(key).matches("e2b_[0-9a-f]{40}");
            assertThat(f.server.get("/v2/sandboxes", "X-API-KEY", key).status()).isEqualTo(200);
            assertThat(f.server.get("/v1/sandboxes", "X-API-Key", key).status()).isEqualTo(200);
            assertThat(f.server
                            .post("/v1/api-keys", "{\"format\":\"aws\"}", f.adaByToken())
                            .status())
                    .isEqualTo(400);
        }
    }

    private static TimeoutScheduler scheduler(Database database, SandboxFixture f) {
        SandboxService core = new SandboxService(
                new SandboxRepository(database), new TemplateRepository(database), f.agent, Clock.systemUTC());
        return E2bCompat.wire(database, core, f.agent, Clock.systemUTC()).scheduler();
    }

    @OnBothDatabases
    void aFilesystemOnlyPauseIsRefusedWithA400NeverSilentlyKeptInMemory(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{}");

            Reply pause = f.server.post("/sandboxes/" + id + "/pause", "{\"memory\":false}", f.adaByKey());
            assertThat(pause.status()).as(pause.body()).isEqualTo(400);
            assertThat(pause.json().get("message").asText()).contains("memory: false", "not supported");
            assertThat(f.get(id).get("status").asText()).as("still running").isEqualTo("running");
            assertThat(f.server
                            .post("/sandboxes/nope/pause", "{\"memory\":false}", f.adaByKey())
                            .status())
                    .isEqualTo(404);

            assertThat(f.server
                            .post("/sandboxes/" + id + "/pause", "{\"memory\":true}", f.adaByKey())
                            .status())
                    .isEqualTo(204);
            Reply coldConnect =
                    f.server.post("/sandboxes/" + id + "/connect", "{\"timeout\":60,\"memory\":false}", f.adaByKey());
            assertThat(coldConnect.status()).as(coldConnect.body()).isEqualTo(400);
            assertThat(f.get(id).get("status").asText()).as("still paused").isEqualTo("paused");

            Reply create =
                    f.server.post("/v2/sandboxes", "{\"autoPause\":true,\"autoPauseMemory\":false}", f.adaByKey());
            assertThat(create.status()).as(create.body()).isEqualTo(400);
            assertThat(create.json().get("message").asText()).contains("autoPauseMemory");
            assertThat(f.server
                            .post("/v2/sandboxes", "{\"autoPause\":true,\"autoPauseMemory\":true}", f.adaByKey())
                            .status())
                    .isEqualTo(201);
        }
    }

    private static String create(SandboxFixture f, String body) {
        Reply reply = f.server.post("/v2/sandboxes", body, f.adaByKey());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("sandboxID").asText();
    }

    private static Instant endAt(SandboxFixture f, String id) {
        return Instant.parse(f.server
                .get("/sandboxes/" + id, f.adaByKey())
                .json()
                .get("endAt")
                .asText());
    }

    private static List<String> ids(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.json().forEach(s -> ids.add(s.get("sandboxID").asText()));
        return ids;
    }
}
