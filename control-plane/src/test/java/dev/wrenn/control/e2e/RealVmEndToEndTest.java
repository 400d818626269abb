package dev.wrenn.control.e2e;

import static dev.wrenn.control.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.BinaryReply;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.control.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane in front of a real host agent booting a real VM: create, exec, files (both kinds of routes, a
 * 10 MiB file through the streaming ones), the exec WebSocket, pause, resume, snapshots and clones, and destroy, all
 * through the public API.
 */
class RealVmEndToEndTest {
    private static final String BOUNDARY = "----wrenn-e2e-boundary";
    private static RealHostAgent agent;
    private static GrpcHostAgentClient client;
    private static Database database;
    private static TestServer server;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        agent = RealHostAgent.start();
        client = agent.connect();
        dir = Files.createTempDirectory("wrenn-cp-e2e-db-");
        database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")));
        server = TestServer.start(database, client, TestServer.config(dir));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
            if (database != null) {
                database.close();
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
            if (dir != null) {
                try (var paths = Files.walk(dir)) {
                    for (Path p :
                            paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Test
    void aRealSandboxRunsCodeKeepsFilesStreamsOutputAndIsDestroyed() throws Exception {
        String[] auth = {"Authorization", TestServer.bearer(server.signup("e2e@example.com", "correct horse"))};
        Reply created = server.post("/v1/sandboxes", "{\"timeout_sec\":0}", auth);
        assertThat(created.status())
                .as("create: %s%nagent log:%n%s", created.body(), agent.log())
                .isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("status").asText()).isEqualTo("running");
        assertThat(created.json().get("host_ip").asText()).isNotEmpty();
        String base = "/v1/sandboxes/" + id;

        JsonNode exec = server.post(base + "/exec", "{\"cmd\":\"python3\",\"args\":[\"-c\",\"print(6*7)\"]}", auth)
                .json();
        assertThat(exec.get("stdout").asText()).as(exec.toString()).isEqualTo("42\n");
        assertThat(exec.get("exit_code").asInt()).isZero();
        assertThat(exec.get("encoding").asText()).isEqualTo("utf-8");
        assertThat(server.post(base + "/ping", null, auth).status()).isEqualTo(204);

        byte[] small = "héllo from the control plane\n".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(base + "/files/write", "/tmp/hello.txt", small, auth).status())
                .isEqualTo(204);
        BinaryReply readSmall = server.postForBytes(base + "/files/read", json("path", "/tmp/hello.txt"), auth);
        assertThat(readSmall.body()).isEqualTo(small);
        JsonNode cat = server.post(base + "/exec", "{\"cmd\":\"cat\",\"args\":[\"/tmp/hello.txt\"]}", auth)
                .json();
        assertThat(cat.get("stdout").asText()).isEqualTo("héllo from the control plane\n");
        assertThat(server.post(base + "/files/read", json("path", "/tmp/none"), auth)
                        .status())
                .isEqualTo(404);
        assertThat(server.post(base + "/files/stream/read", json("path", "/tmp/none"), auth)
                        .status())
                .isEqualTo(404);

        byte[] big = new byte[10 * 1024 * 1024];
        new Random(7).nextBytes(big);
        Reply streamed = upload(base + "/files/stream/write", "/tmp/big.bin", big, auth);
        assertThat(streamed.status()).as(streamed.body()).isEqualTo(204);
        BinaryReply readBig = server.postForBytes(base + "/files/stream/read", json("path", "/tmp/big.bin"), auth);
        assertThat(readBig.status()).isEqualTo(200);
        assertThat(sha256(readBig.body())).isEqualTo(sha256(big));
        JsonNode sum = server.post(base + "/exec", "{\"cmd\":\"sha256sum\",\"args\":[\"/tmp/big.bin\"]}", auth)
                .json();
        assertThat(sum.get("stdout").asText()).startsWith(sha256(big));

        try (WsClient ws = WsClient.connect(
                URI.create(server.uri(base + "/exec/stream").toString().replace("http:", "ws:")), auth)) {
            ws.send("{\"type\":\"start\",\"cmd\":\"sh\",\"args\":[\"-c\",\"echo one; sleep 0.2; echo two >&2;"
                    + " exit 3\"]}");
            List<JsonNode> frames = ws.framesUntilClosed();
            assertThat(frames)
                    .extracting(f -> f.get("type").asText())
                    .containsExactly("start", "stdout", "stderr", "exit");
            assertThat(frames.get(0).get("pid").asLong()).isPositive();
            assertThat(frames.get(1).get("data").asText()).isEqualTo("one\n");
            assertThat(frames.get(2).get("data").asText()).isEqualTo("two\n");
            assertThat(frames.get(3).get("exit_code").asInt()).isEqualTo(3);
        }

        assertThat(server.delete(base, auth).status()).isEqualTo(204);
        assertThat(server.get(base, auth).json().get("status").asText()).isEqualTo("stopped");
        assertThat(client.listSandboxes().getSandboxesList())
                .noneMatch(s -> s.getSandboxId().equals(id));
    }

    @Test
    void aRealSandboxKeepsItsFilesThroughPauseResumeAndIntoAClone() {
        String[] auth = {"Authorization", TestServer.bearer(server.signup("snap@example.com", "correct horse"))};
        String id = createRunning(auth);
        String base = "/v1/sandboxes/" + id;
        assertThat(run(base, "echo kept > /home/user/state.txt", auth)
                        .get("exit_code")
                        .asInt())
                .isZero();

        assertStatus(server.post(base + "/pause", null, auth), 200, "paused");
        assertStatus(server.post(base + "/resume", null, auth), 200, "running");
        assertThat(run(base, "cat /home/user/state.txt", auth).get("stdout").asText())
                .isEqualTo("kept\n");

        Reply snapshot = server.post("/v1/snapshots", "{\"sandbox_id\":\"" + id + "\",\"name\":\"e2e-env\"}", auth);
        assertThat(snapshot.status())
                .as("snapshot: %s%nagent log:%n%s", snapshot.body(), agent.log())
                .isEqualTo(201);
        assertThat(snapshot.json().get("size_bytes").asLong()).isPositive();
        assertThat(server.get(base, auth).json().get("status").asText()).isEqualTo("paused");

        Reply cloned = server.post("/v1/sandboxes", "{\"template\":\"e2e-env\"}", auth);
        assertThat(cloned.status())
                .as("clone: %s%nagent log:%n%s", cloned.body(), agent.log())
                .isEqualTo(201);
        String clone = cloned.json().get("id").asText();
        assertThat(run("/v1/sandboxes/" + clone, "cat /home/user/state.txt", auth)
                        .get("stdout")
                        .asText())
                .isEqualTo("kept\n");

        assertThat(server.delete("/v1/sandboxes/" + clone, auth).status()).isEqualTo(204);
        Reply deleted = server.delete("/v1/snapshots/e2e-env", auth);
        assertThat(deleted.status()).as("delete snapshot: %s", deleted.body()).isEqualTo(204);
        assertThat(server.delete(base, auth).status()).isEqualTo(204);
        assertThat(server.get("/v1/snapshots?type=snapshot", auth).json()).isEmpty();
    }

    private static String createRunning(String... auth) {
        Reply created = server.post("/v1/sandboxes", "{\"timeout_sec\":0}", auth);
        assertThat(created.status())
                .as("create: %s%nagent log:%n%s", created.body(), agent.log())
                .isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static JsonNode run(String sandbox, String script, String... auth) {
        Reply reply = server.post(sandbox + "/exec", "{\"cmd\":\"sh\",\"args\":[\"-c\",\"" + script + "\"]}", auth);
        assertThat(reply.status()).as("exec %s: %s", script, reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static void assertStatus(Reply reply, int status, String sandboxStatus) {
        assertThat(reply.status())
                .as("%s%nagent log:%n%s", reply.body(), agent.log())
                .isEqualTo(status);
        assertThat(reply.json().get("status").asText()).isEqualTo(sandboxStatus);
    }

    private static Reply upload(String path, String guestPath, byte[] content, String... auth) {
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n" + guestPath
                        + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.writeBytes(content);
        form.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.postBytes(path, form.toByteArray(), "multipart/form-data; boundary=" + BOUNDARY, auth);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
