package dev.wrenn.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * Upload and download through the agent's /files with application/octet-stream bodies, and a plain local file copy
 * of the same bytes as the floor. The client is {@link LoopbackHttpClient} on one kept-alive connection, not
 * java.net.http: on this 2-core machine java.net.http spent more CPU per byte than the agent (a 256 MiB download
 * measured 750 MB/s through it and 1300 MB/s through the lean client, same agent) and so measured itself. The
 * agent's side is untouched by that choice: it still parses every request and streams every body through its JDK
 * HTTP server on loopback.
 */
final class FileTransfer implements AutoCloseable {
    private final LoopbackHttpClient client;
    private final Path workDir;

    FileTransfer(URI agent, Path workDir) {
        this.client = new LoopbackHttpClient(agent);
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

    /**
     * Uploads {@code source} to {@code target} as a new file. The earlier run's file is deleted first, inside the
     * timing, exactly as the floor's Files.copy(REPLACE_EXISTING) deletes its target: the agent truncates an existing
     * file in place (envd semantics), and ext4 then forces that file's data to disk on close, a cost a fresh file and
     * the floor do not pay.
     */
    void upload(Path source, Path target) throws IOException {
        Files.deleteIfExists(target);
        try (FileChannel body = FileChannel.open(source)) {
            LoopbackHttpClient.Response response =
                    client.post(filesQuery(target), "application/octet-stream", body, body.size());
            if (response.status() != 200) {
                throw new IllegalStateException("upload answered " + response.status() + ": " + response.text());
            }
        }
    }

    /** The same upload as multipart/form-data, as the E2B SDK's {@code files.write} sends it. */
    void uploadMultipart(Path source, Path target) throws IOException {
        Files.deleteIfExists(target);
        try (FileChannel body = FileChannel.open(source)) {
            LoopbackHttpClient.Response response = client.postMultipart(
                    filesQuery(target), target.getFileName().toString(), body, body.size());
            if (response.status() != 200) {
                throw new IllegalStateException(
                        "multipart upload answered " + response.status() + ": " + response.text());
            }
        }
    }

    /** Downloads {@code target}, reading every byte of the body (then discarded) and checking its length. */
    void download(Path target, long expectedBytes) throws IOException {
        LoopbackHttpClient.Response response = client.get(filesQuery(target));
        if (response.status() != 200 || response.bodyBytes() != expectedBytes) {
            throw new IllegalStateException("download answered " + response.status() + " with " + response.bodyBytes()
                    + " bytes, expected " + expectedBytes + ": " + response.text());
        }
    }

    /** The floor: copy the same file on the same disk, through the page cache, as the agent's write does. */
    static void localCopy(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String filesQuery(Path target) {
        return "/files?path=" + URLEncoder.encode(target.toString(), StandardCharsets.UTF_8) + "&username=root";
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
