package dev.wrenn.control.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.TemplateBuild;
import dev.wrenn.control.db.TemplateBuildRepository;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Predicate;

/**
 * E2B's template build routes over the in-memory host agent (which answers UNIMPLEMENTED-like for image builds, runs
 * every streamed command as "exit 3" and keeps snapshots in memory): the flow the SDK drives, the fallback of
 * {@code e2bdev/base} to the built-in base, failures with their reasons, team scoping, bad input and uploads.
 */
class TemplateBuildApiTest {
    private static final String FILE = "hello\n";

    @OnBothDatabases
    void aBuildFromTheBaseImageFallsBackToBaseIsPublishedAndBoots(Database database) throws Exception {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            JsonNode requested = request(f, "{\"name\":\"my-env:v1\",\"cpuCount\":1,\"memoryMB\":512}");
            String id = requested.get("templateID").asText();
            String build = requested.get("buildID").asText();
            assertThat(requested.get("tags").get(0).asText()).isEqualTo("v1");

            Reply started = f.server.post(
                    "/v2/templates/" + id + "/builds/" + build,
                    "{\"fromImage\":\"e2bdev/base\",\"steps\":[{\"type\":\"ENV\",\"args\":[\"A\",\"1\"]}],"
                            + "\"force\":false}",
                    f.adaByKey());
            assertThat(started.status()).as(started.body()).isEqualTo(202);

            JsonNode done = waitFor(f, id, build, s -> !s.get("status").asText().equals("building"));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("ready");
            assertThat(done.toString()).contains("e2bdev/base is Wrenn's built-in template");

            assertThat(f.server.get("/templates/aliases/my-env", f.adaByKey()).status())
                    .isEqualTo(200);
            Reply list = f.server.get("/v2/templates", f.adaByKey());
            assertThat(list.body()).contains(id).contains("\"buildStatus\":\"ready\"");
            assertThat(f.server.get("/v2/templates", f.bobByToken()).body()).doesNotContain(id);
            Reply tags = f.server.get("/templates/" + id + "/tags", f.adaByKey());
            assertThat(tags.body()).contains("\"default\"").contains("\"v1\"");

            Reply booted = f.server.post("/v2/sandboxes", "{\"templateID\":\"my-env\"}", f.adaByKey());
            assertThat(booted.status()).as(booted.body()).isEqualTo(201);
            f.server.delete("/sandboxes/" + booted.json().get("sandboxID").asText(), f.adaByKey());

            // Tags: the literal /templates/tags routes are not taken for /templates/{id}.
            Reply assigned =
                    f.server.post("/templates/tags", "{\"target\":\"my-env:v1\",\"tags\":[\"stable\"]}", f.adaByKey());
            assertThat(assigned.status()).as(assigned.body()).isEqualTo(201);
            assertThat(assigned.json().get("buildID").asText()).isEqualTo(build);
            Reply removed = f.server.send(
                    "DELETE", "/templates/tags", "{\"name\":\"my-env\",\"tags\":[\"stable\"]}", f.adaByKey());
            assertThat(removed.status()).as(removed.body()).isEqualTo(204);

            assertThat(f.server.delete("/templates/" + id, f.bobByToken()).status())
                    .isEqualTo(404);
            assertThat(f.server.delete("/templates/" + id, f.adaByKey()).status())
                    .isEqualTo(204);
            assertThat(f.server.get("/templates/" + id, f.adaByKey()).status()).isEqualTo(404);
        }
    }

    @OnBothDatabases
    void aFailingStepNamesItselfAndItsExitCode(Database database) throws Exception {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            JsonNode requested = request(f, "{\"name\":\"fails\"}");
            String id = requested.get("templateID").asText();
            String build = requested.get("buildID").asText();
            start(f, id, build, "{\"fromTemplate\":\"base\",\"steps\":[{\"type\":\"RUN\",\"args\":[\"false\"]}]}");

            JsonNode done = waitFor(f, id, build, s -> !s.get("status").asText().equals("building"));
            assertThat(done.get("status").asText()).isEqualTo("error");
            assertThat(done.get("reason").get("step").asText()).isEqualTo("1");
            assertThat(done.get("reason").get("message").asText()).contains("exit code 3");
            assertThat(f.server.get("/templates/aliases/fails", f.adaByKey()).status())
                    .as("nothing half-published")
                    .isEqualTo(404);
            // The build sandbox is gone.
            assertThat(f.server.get("/v1/sandboxes", f.adaByKey()).json()).isEmpty();
        }
    }

    @OnBothDatabases
    void anImageTheHostCannotBuildFailsNamingTheMissingSupport(Database database) throws Exception {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            JsonNode requested = request(f, "{\"name\":\"py\"}");
            String id = requested.get("templateID").asText();
            String build = requested.get("buildID").asText();
            start(f, id, build, "{\"fromImage\":\"python:3.12\"}");

            JsonNode done = waitFor(f, id, build, s -> !s.get("status").asText().equals("building"));
            assertThat(done.get("status").asText()).isEqualTo("error");
            assertThat(done.get("reason").get("message").asText())
                    .contains("python:3.12")
                    .contains("BuildImageTemplate");
            assertThat(done.get("reason").get("step").asText()).isEqualTo("base");
        }
    }

    @OnBothDatabases
    void anotherTeamSeesNoneOfItAndCallersNeedCredentials(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            JsonNode requested = request(f, "{\"name\":\"private-env\"}");
            String id = requested.get("templateID").asText();
            String build = requested.get("buildID").asText();
            String hash = "a".repeat(64);

            for (String path : new String[] {
                "/templates/" + id,
                "/templates/" + id + "/builds/" + build + "/status",
                "/templates/" + id + "/builds/" + build + "/logs",
                "/templates/" + id + "/files/" + hash,
                "/templates/" + id + "/tags",
                "/v1/templates/" + id,
                "/v1/templates/" + id + "/builds/" + build + "/status"
            }) {
                assertThat(f.server.get(path, f.bobByToken()).status()).as(path).isEqualTo(404);
                assertThat(f.server.get(path).status()).as(path).isEqualTo(401);
            }
            Reply start = f.server.post(
                    "/v2/templates/" + id + "/builds/" + build, "{\"fromTemplate\":\"base\"}", f.bobByToken());
            assertThat(start.status()).isEqualTo(404);
            assertThat(start.json().get("code").asInt()).isEqualTo(404);
            assertThat(f.server.post("/v3/templates", "{\"name\":\"x\"}").status())
                    .isEqualTo(401);
            // Bob's own build of the same name is his own template.
            assertThat(request(f, "{\"name\":\"private-env\"}", f.bobByToken())
                            .get("templateID")
                            .asText())
                    .isNotEqualTo(id);
        }
    }

    @OnBothDatabases
    void badInputIsA400WithItsReason(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            assertThat(error(f.server.post("/v3/templates", "{}", f.adaByKey())))
                    .contains("'name' is required");
            assertThat(error(f.server.post("/v3/templates", "{\"name\":\"a\",\"cpuCount\":0}", f.adaByKey())))
                    .contains("cpuCount");
            assertThat(error(f.server.post("/v3/templates", "{\"name\":\"base\"}", f.adaByKey())))
                    .contains("reserved");
            assertThat(error(f.server.post("/v3/templates", "{\"name\":\"../x\"}", f.adaByKey())))
                    .contains("invalid template name");
            Reply v1 = f.server.post("/v1/templates", "{\"name\":\"a b\"}", f.adaByKey());
            assertThat(v1.status()).isEqualTo(400);
            assertThat(v1.errorMessage()).contains("invalid template name");

            JsonNode requested = request(f, "{\"name\":\"bad-steps\"}");
            String path = "/v2/templates/" + requested.get("templateID").asText() + "/builds/"
                    + requested.get("buildID").asText();
            assertThat(error(f.server.post(path, "{\"steps\":[]}", f.adaByKey())))
                    .contains("fromImage");
            assertThat(error(f.server.post(
                            path,
                            "{\"fromTemplate\":\"base\",\"steps\":[{\"type\":\"RUN\",\"args\":[\"true\"]},"
                                    + "{\"type\":\"HEALTHCHECK\",\"args\":[\"x\"]}]}",
                            f.adaByKey())))
                    .contains("step 2")
                    .contains("HEALTHCHECK");
            assertThat(error(f.server.post(
                            path,
                            "{\"fromTemplate\":\"base\",\"steps\":[{\"type\":\"COPY\",\"args\":[\"a\",\"/b\"],"
                                    + "\"filesHash\":\"" + "b".repeat(64) + "\"}]}",
                            f.adaByKey())))
                    .contains("step 1")
                    .contains("were not uploaded");
            assertThat(error(f.server.post(
                            path,
                            "{\"fromImage\":\"e2bdev/base\",\"fromImageRegistry\":{\"type\":\"aws\"}}",
                            f.adaByKey())))
                    .contains("aws");
            assertThat(f.server
                            .post(path, "{\"fromTemplate\":\"tpl-00000000000000000000000000000000\"}", f.adaByKey())
                            .status())
                    .isEqualTo(404);
            // Still waiting: a good start goes through once, a second is a conflict.
            assertThat(f.server
                            .post(path, "{\"fromTemplate\":\"base\"}", f.adaByKey())
                            .status())
                    .isEqualTo(202);
            assertThat(f.server
                            .post(path, "{\"fromTemplate\":\"base\"}", f.adaByKey())
                            .status())
                    .isEqualTo(409);
        }
    }

    @OnBothDatabases
    void uploadsAreSignedCappedCheckedAndMustMatchTheirHash(Database database) throws Exception {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            JsonNode requested = request(f, "{\"name\":\"with-files\"}");
            String id = requested.get("templateID").asText();
            String build = requested.get("buildID").asText();
            String good = e2bHash("COPY a.txt /home/user/a.txt", "a.txt", 0100644, FILE);
            String bad = e2bHash("COPY a.txt /home/user/a.txt", "a.txt", 0100644, "other\n");

            JsonNode link = f.server
                    .get("/templates/" + id + "/files/" + good, f.adaByKey())
                    .json();
            assertThat(link.get("present").asBoolean()).isFalse();
            String url = link.get("url").asText();
            assertThat(url).contains("/v1/templates/uploads/" + good + "?");

            assertThat(put(url.replace("signature=", "signature=0"), tar("a.txt", FILE)))
                    .isEqualTo(403);
            assertThat(put(url.replace(good, bad), tar("a.txt", FILE)))
                    .as("a URL signed for another hash")
                    .isEqualTo(403);
            assertThat(put(url, "not a tar archive".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(400);
            assertThat(put(url, tar("../escape", FILE))).isEqualTo(400);
            assertThat(put(url, tar("a.txt", FILE))).isEqualTo(200);
            assertThat(f.server
                            .get("/templates/" + id + "/files/" + good, f.adaByKey())
                            .json()
                            .get("present")
                            .asBoolean())
                    .isTrue();
            assertThat(f.server
                            .get("/templates/" + id + "/files/" + good, f.bobByToken())
                            .status())
                    .isEqualTo(404);

            // Content that does not hash to the step's filesHash is refused before the build starts.
            String badUrl = f.server
                    .get("/templates/" + id + "/files/" + bad, f.adaByKey())
                    .json()
                    .get("url")
                    .asText();
            assertThat(put(badUrl, tar("a.txt", FILE))).isEqualTo(200);
            String path = "/v2/templates/" + id + "/builds/" + build;
            Reply refused = f.server.post(path, copyBody(bad), f.adaByKey());
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("message").asText()).contains("do not match their hash");
            Reply accepted = f.server.post(path, copyBody(good), f.adaByKey());
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        }
    }

    @OnBothDatabases
    void aBuildWhoseControlPlaneIsGoneEndsAsAnErrorWithItsReason(Database database) throws Exception {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            JsonNode requested = request(f, "{\"name\":\"orphaned\"}");
            String id = requested.get("templateID").asText();
            String build = requested.get("buildID").asText();
            // As a crashed control plane leaves it: building, its heartbeat long stopped.
            new TemplateBuildRepository(database)
                    .updateStatus(
                            build,
                            TemplateBuild.WAITING,
                            TemplateBuild.BUILDING,
                            null,
                            null,
                            Instant.now().minus(Duration.ofMinutes(5)));

            JsonNode done = waitFor(f, id, build, s -> !s.get("status").asText().equals("building"));
            assertThat(done.get("status").asText()).isEqualTo("error");
            assertThat(done.get("reason").get("message").asText()).contains("control plane was restarted or lost");
        }
    }

    private static String copyBody(String hash) {
        return "{\"fromTemplate\":\"base\",\"steps\":[{\"type\":\"COPY\",\"args\":[\"a.txt\",\"/home/user/a.txt\",\"\","
                + "\"\"],\"filesHash\":\"" + hash + "\"}]}";
    }

    private static JsonNode request(SandboxFixture f, String body) {
        return request(f, body, f.adaByKey());
    }

    private static JsonNode request(SandboxFixture f, String body, String... auth) {
        Reply reply = f.server.post("/v3/templates", body, auth);
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        return reply.json();
    }

    private static void start(SandboxFixture f, String id, String build, String body) {
        Reply reply = f.server.post("/v2/templates/" + id + "/builds/" + build, body, f.adaByKey());
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    }

    private static String error(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        return reply.json().get("message").asText();
    }

    private static JsonNode waitFor(SandboxFixture f, String id, String build, Predicate<JsonNode> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode status;
        do {
            Reply reply = f.server.get("/templates/" + id + "/builds/" + build + "/status", f.adaByKey());
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            status = reply.json();
            if (done.test(status)) {
                return status;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the build did not finish: " + status);
    }

    private static int put(String url, byte[] body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    /** E2B's SDK's files hash of one regular file (utils.ts calculateFilesHash), computed independently. */
    private static String e2bHash(String copy, String path, int mode, String content) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(copy.getBytes(StandardCharsets.UTF_8));
        d.update(path.getBytes(StandardCharsets.UTF_8));
        d.update(Integer.toString(mode).getBytes(StandardCharsets.UTF_8));
        d.update(Integer.toString(content.getBytes(StandardCharsets.UTF_8).length)
                .getBytes(StandardCharsets.UTF_8));
        d.update(content.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d.digest());
    }

    /** A one-file ustar archive. */
    private static byte[] tar(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644\0");
        put(header, 108, "0000000\0");
        put(header, 116, "0000000\0");
        put(header, 124, String.format("%011o\0", data.length));
        put(header, 136, "00000000000\0");
        header[156] = '0';
        put(header, 257, "ustar\0");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", sum));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] target, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }
}
