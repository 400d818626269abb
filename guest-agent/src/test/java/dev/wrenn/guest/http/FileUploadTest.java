package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.guest.fs.FileMetadata;
import dev.wrenn.guest.http.files.MultipartBody;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class FileUploadTest extends GuestServerFixture {

    @Test
    void aMultipartFileLandsInTheUsersHomeOwnedByTheUser() throws Exception {
        byte[] body = new MultipartBody().file("a.txt", bytes("hello")).build();

        HttpResponse<String> response = post("/files?path=a.txt", body, "Content-Type", MultipartBody.contentType());

        Path written = userHome.resolve("a.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[{\"path\":\"" + written + "\",\"name\":\"a.txt\",\"type\":\"file\"}]");
        assertThat(Files.readString(written)).isEqualTo("hello");
        assertThat(Files.getAttribute(written, "unix:uid")).isEqualTo(USER_UID);
        assertThat(Files.getAttribute(written, "unix:gid")).isEqualTo(USER_UID);
    }

    @Test
    void severalPartsAreWrittenToTheirFileNames() throws Exception {
        Path absolute = tmp.resolve("abs/x.txt");
        byte[] body = new MultipartBody()
                .file(absolute.toString(), bytes("first"))
                .part("form-data; name=\"note\"", bytes("ignored field"))
                .file("sub/y.txt", bytes("second"))
                .build();

        HttpResponse<String> response = post("/files", body, "Content-Type", MultipartBody.contentType());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Files.readString(absolute)).isEqualTo("first");
        assertThat(Files.readString(userHome.resolve("sub/y.txt"))).isEqualTo("second");
        assertThat(response.body()).contains("\"name\":\"x.txt\"", "\"name\":\"y.txt\"");
    }

    @Test
    void aLargeMultipartUploadArrivesIntact() throws Exception {
        byte[] content = new byte[9 * 1024 * 1024 + 3];
        new Random(7).nextBytes(content);
        byte[] body = new MultipartBody().file("big.bin", content).build();

        HttpResponse<String> response = client.send(
                request("/files", "Content-Type", MultipartBody.contentType())
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Files.readAllBytes(userHome.resolve("big.bin"))).isEqualTo(content);
    }

    @Test
    void aChunkedRawRequestLikeTheSdksIsAccepted() throws Exception {
        byte[] multipart =
                new MultipartBody().file("chunked.txt", bytes("via chunks")).build();
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes("POST /files?path=chunked.txt HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: " + MultipartBody.contentType() + "\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
            int half = multipart.length / 2;
            writeChunk(out, multipart, 0, half);
            writeChunk(out, multipart, half, multipart.length - half);
            out.write(bytes("0\r\n\r\n"));
            out.flush();
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(reply).startsWith("HTTP/1.1 200");
        }
        assertThat(Files.readString(userHome.resolve("chunked.txt"))).isEqualTo("via chunks");
    }

    @Test
    void anOctetStreamBodyIsWrittenToThePathQuery() throws Exception {
        HttpResponse<String> response =
                post("/files?path=" + q("~/raw.bin"), bytes("raw bytes"), "Content-Type", "application/octet-stream");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Files.readString(userHome.resolve("raw.bin"))).isEqualTo("raw bytes");
    }

    @Test
    void aGzippedOctetStreamIsDecompressed() throws Exception {
        String text = "zipped ".repeat(500);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(bytes(text));
        }

        HttpResponse<String> response = post(
                "/files?path=g.txt",
                zipped.toByteArray(),
                "Content-Type",
                "application/octet-stream",
                "Content-Encoding",
                "gzip");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Files.readString(userHome.resolve("g.txt"))).isEqualTo(text);
    }

    @Test
    void aLargeGzippedOctetStreamArrivesIntactOverAnExistingLongerFile() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 11];
        new Random(3).nextBytes(content);
        Files.write(userHome.resolve("big.bin"), new byte[8 * 1024 * 1024]);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(content);
        }

        HttpResponse<String> response = post(
                "/files?path=big.bin",
                zipped.toByteArray(),
                "Content-Type",
                "application/octet-stream",
                "Content-Encoding",
                "gzip");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Files.readAllBytes(userHome.resolve("big.bin"))).isEqualTo(content);
    }

    @Test
    void aBrokenGzipBodyIs400AndLeavesNoFile() throws Exception {
        HttpResponse<String> response = post(
                "/files?path=bad.txt",
                bytes("not gzip at all"),
                "Content-Type",
                "application/octet-stream",
                "Content-Encoding",
                "gzip");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(userHome.resolve("bad.txt")).doesNotExist();
    }

    @Test
    void metadataHeadersAreStoredWithLowerCasedKeys() throws Exception {
        HttpResponse<String> response = post(
                "/files?path=m.txt",
                bytes("x"),
                "Content-Type",
                "application/octet-stream",
                "X-Metadata-Owner",
                "Me",
                "x-metadata-TAG",
                "v1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(FileMetadata.read(userHome.resolve("m.txt")))
                .containsOnly(java.util.Map.entry("owner", "Me"), java.util.Map.entry("tag", "v1"));
        assertThat(response.body()).contains("\"metadata\":{");
    }

    @Test
    void overwritingReplacesTheMetadataAndWithoutHeadersClearsIt() throws Exception {
        post("/files?path=o.txt", bytes("1"), "Content-Type", "application/octet-stream", "X-Metadata-A", "1");
        post("/files?path=o.txt", bytes("2"), "Content-Type", "application/octet-stream", "X-Metadata-B", "2");
        assertThat(FileMetadata.read(userHome.resolve("o.txt"))).containsOnly(java.util.Map.entry("b", "2"));

        HttpResponse<String> response =
                post("/files?path=o.txt", bytes("3"), "Content-Type", "application/octet-stream");

        assertThat(FileMetadata.read(userHome.resolve("o.txt"))).isEmpty();
        assertThat(response.body()).doesNotContain("metadata");
    }

    @Test
    void missingParentsAreCreatedOwnedByTheUserWith0755() throws Exception {
        HttpResponse<String> response =
                post("/files?path=" + q("deep/er/f.txt"), bytes("x"), "Content-Type", "application/octet-stream");

        assertThat(response.statusCode()).isEqualTo(200);
        for (Path dir : new Path[] {userHome.resolve("deep"), userHome.resolve("deep/er")}) {
            assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(USER_UID);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwxr-xr-x");
        }
    }

    @Test
    void anExistingLongerFileIsTruncated() throws Exception {
        Files.writeString(userHome.resolve("t.txt"), "a much longer previous content");

        post("/files?path=t.txt", bytes("short"), "Content-Type", "application/octet-stream");

        assertThat(Files.readString(userHome.resolve("t.txt"))).isEqualTo("short");
    }

    @Test
    void theUsernameQueryChoosesHomeAndOwner() throws Exception {
        post("/files?path=o.txt&username=other", bytes("x"), "Content-Type", "application/octet-stream");

        assertThat(Files.getAttribute(otherHome.resolve("o.txt"), "unix:uid")).isEqualTo(OTHER_UID);
    }

    @Test
    void badRequestsAreRejectedWithJsonErrors() throws Exception {
        Files.createDirectories(userHome.resolve("adir"));

        assertThat(post("/files", bytes("x"), "Content-Type", "application/octet-stream")
                        .statusCode())
                .as("octet-stream without path")
                .isEqualTo(400);
        assertThat(post("/files?path=x", bytes("x"), "Content-Type", "text/plain")
                        .statusCode())
                .as("unsupported content type")
                .isEqualTo(400);
        assertThat(post("/files?path=adir", bytes("x"), "Content-Type", "application/octet-stream")
                        .statusCode())
                .as("directory target")
                .isEqualTo(400);
        assertThat(post("/files?path=x&username=ghost", bytes("x"), "Content-Type", "application/octet-stream")
                        .statusCode())
                .as("unknown user")
                .isEqualTo(401);
    }

    @Test
    void twoPartsForTheSamePathAre400() throws Exception {
        byte[] body = new MultipartBody()
                .file("same.txt", bytes("1"))
                .file("same.txt", bytes("2"))
                .build();

        HttpResponse<String> response = post("/files", body, "Content-Type", MultipartBody.contentType());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("same path");
    }

    @Test
    void aTruncatedMultipartBodyIs400AndLeavesNoHalfFile() throws Exception {
        byte[] body =
                new MultipartBody().file("cut.txt", bytes("x".repeat(1000))).build();
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 200);

        HttpResponse<String> response = post("/files", cut, "Content-Type", MultipartBody.contentType());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(userHome.resolve("cut.txt")).doesNotExist();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeChunk(OutputStream out, byte[] data, int offset, int length) throws Exception {
        out.write(bytes(Integer.toHexString(length) + "\r\n"));
        out.write(data, offset, length);
        out.write(bytes("\r\n"));
    }
}
