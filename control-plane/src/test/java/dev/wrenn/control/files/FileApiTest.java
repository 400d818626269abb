package dev.wrenn.control.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.BinaryReply;
import dev.wrenn.control.testing.TestServer.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

class FileApiTest {
    static final String BOUNDARY = "----wrenn-test-boundary";

    @OnBothDatabases
    void aWrittenFileReadsBackByteForByteThroughBothKindsOfRoutes(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            byte[] content = randomBytes(300_000); // several 64 KiB chunks, and every byte value

            for (String kind : new String[] {"", "stream/"}) {
                String path = "/tmp/" + kind.replace("/", "") + "data.bin";
                Reply written = api.server.postBytes(
                        "/v1/sandboxes/" + id + "/files/" + kind + "write",
                        form(path, content),
                        "multipart/form-data; boundary=" + BOUNDARY,
                        api.adaByKey());
                assertThat(written.status()).as(written.body()).isEqualTo(204);
                assertThat(api.agent.vm(id).files.get(path)).isEqualTo(content);

                BinaryReply read = api.server.postForBytes(
                        "/v1/sandboxes/" + id + "/files/" + kind + "read",
                        "{\"path\":\"" + path + "\"}",
                        api.adaByKey());
                assertThat(read.status()).isEqualTo(200);
                assertThat(read.contentType()).isEqualTo("application/octet-stream");
                assertThat(read.body()).isEqualTo(content);
            }
        }
    }

    @OnBothDatabases
    void anEmptyFileAndAFileWhoseBytesLookLikeABoundaryRoundTrip(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            byte[] tricky = ("\r\n--" + BOUNDARY.substring(0, 10) + "\r\n--\r\n").getBytes(StandardCharsets.UTF_8);
            for (byte[] content : new byte[][] {new byte[0], tricky}) {
                api.server.postBytes(
                        "/v1/sandboxes/" + id + "/files/stream/write",
                        form("/tmp/f", content),
                        "multipart/form-data; boundary=" + BOUNDARY,
                        api.adaByKey());
                assertThat(api.agent.vm(id).files.get("/tmp/f")).isEqualTo(content);
            }
        }
    }

    @OnBothDatabases
    void aFileOverTheUploadLimitIsRefusedWith413AndNothingIsWritten(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database, new InMemoryHostAgent(), 1000)) {
            String id = api.createRunningForAda();

            Reply atLimit = upload(api, id, "/tmp/ok", new byte[1000]);
            Reply overLimit = upload(api, id, "/tmp/big", new byte[1001]);
            Reply farOver = upload(api, id, "/tmp/huge", new byte[200_000]);

            assertThat(atLimit.status()).isEqualTo(204);
            assertThat(overLimit.status()).isEqualTo(413);
            assertThat(overLimit.errorCode()).isEqualTo("too_large");
            assertThat(overLimit.errorMessage()).contains("1000 bytes");
            assertThat(farOver.status()).isEqualTo(413);
            assertThat(api.agent.vm(id).files).containsOnlyKeys("/tmp/ok");

            Reply read =
                    api.server.post("/v1/sandboxes/" + id + "/files/read", "{\"path\":\"/tmp/ok\"}", api.adaByKey());
            assertThat(read.status()).isEqualTo(200);
        }
    }

    @OnBothDatabases
    void aMissingFileIsNotFoundOnBothReadRoutes(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            for (String route : new String[] {"files/read", "files/stream/read"}) {
                Reply reply =
                        api.server.post("/v1/sandboxes/" + id + "/" + route, "{\"path\":\"/nope\"}", api.adaByKey());
                assertThat(reply.status()).as(route).isEqualTo(404);
                assertThat(reply.errorMessage()).contains("/nope");
            }
        }
    }

    @OnBothDatabases
    void badFormsAndBodiesAreRefused(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            String base = "/v1/sandboxes/" + id + "/files/";
            String multipart = "multipart/form-data; boundary=" + BOUNDARY;

            Reply fileFirst = api.server.postBytes(
                    base + "stream/write", formFileFirst("/tmp/x", new byte[] {1}), multipart, api.adaByKey());
            Reply noPath = api.server.postBytes(base + "write", fileOnly(new byte[] {1}), multipart, api.adaByKey());
            Reply notMultipart = api.server.postBytes(base + "write", new byte[] {1}, "text/plain", api.adaByKey());
            Reply truncated = api.server.postBytes(
                    base + "write",
                    ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n/x")
                            .getBytes(StandardCharsets.UTF_8),
                    multipart,
                    api.adaByKey());
            Reply readNoPath = api.server.post(base + "read", "{}", api.adaByKey());

            assertThat(fileFirst.status()).isEqualTo(400);
            assertThat(fileFirst.errorMessage()).contains("'path' must come before 'file'");
            assertThat(noPath.errorMessage()).isEqualTo("path is required");
            assertThat(notMultipart.errorMessage()).contains("multipart/form-data");
            assertThat(truncated.status()).isEqualTo(400);
            assertThat(truncated.errorMessage()).startsWith("malformed multipart body");
            assertThat(readNoPath.errorMessage()).isEqualTo("path is required");
            assertThat(api.agent.vm(id).files).isEmpty();
        }
    }

    @OnBothDatabases
    void fileRoutesNeedARunningSandbox(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            api.server.delete("/v1/sandboxes/" + id, api.adaByKey());

            assertThat(upload(api, id, "/tmp/x", new byte[] {1}).status()).isEqualTo(409);
            Reply read =
                    api.server.post("/v1/sandboxes/" + id + "/files/stream/read", "{\"path\":\"/x\"}", api.adaByKey());
            assertThat(read.status()).isEqualTo(409);
            assertThat(read.errorCode()).isEqualTo("invalid_state");
        }
    }

    @OnBothDatabases
    void pathsWithQuotesAndSqlAreKeptVerbatim(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            String path = "/tmp/o'brien; DROP TABLE sandboxes;--.txt";

            assertThat(upload(api, id, path, "hi".getBytes(StandardCharsets.UTF_8))
                            .status())
                    .isEqualTo(204);

            assertThat(api.agent.fileText(id, path)).isEqualTo("hi");
            assertThat(api.get(id).get("status").asText()).isEqualTo("running");
        }
    }

    static Reply upload(SandboxFixture api, String id, String path, byte[] content) {
        return api.server.postBytes(
                "/v1/sandboxes/" + id + "/files/write",
                form(path, content),
                "multipart/form-data; boundary=" + BOUNDARY,
                api.adaByKey());
    }

    static byte[] form(String path, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(field("path", path.getBytes(StandardCharsets.UTF_8), null));
        out.writeBytes(field("file", content, "data.bin"));
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] formFileFirst(String path, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(field("file", content, "data.bin"));
        out.writeBytes(field("path", path.getBytes(StandardCharsets.UTF_8), null));
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] fileOnly(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(field("file", content, "data.bin"));
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] field(String name, byte[] value, String filename) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String disposition = "Content-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream");
        out.writeBytes(("--" + BOUNDARY + "\r\n" + disposition + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
