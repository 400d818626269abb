package dev.wrenn.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/** Upload and download through the agent's /files, and a plain local file copy of the same bytes as the floor. */
final class FileTransfer {
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI agent;
    private final Path workDir;

    FileTransfer(URI agent, Path workDir) {
        this.agent = agent;
        this.workDir = workDir;
    }

    /** A file of {@code bytes} random bytes to transfer. */
    Path source(long bytes) throws IOException {
        Path file = workDir.resolve("source-" + bytes);
        byte[] block = new byte[1 << 20];
        new Random(bytes).nextBytes(block);
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        }
        return file;
    }

    void upload(Path source, String targetPath) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(filesUri(targetPath))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(source))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
        }
    }

    long download(String targetPath) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(filesUri(targetPath)).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("download answered " + response.statusCode());
        }
        try (InputStream in = response.body()) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /** The floor: copy the same file on the same disk, through the page cache, as the agent's write does. */
    static void localCopy(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private URI filesUri(String path) {
        return agent.resolve("/files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8) + "&username=root");
    }
}
