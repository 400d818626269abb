package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.guest.http.files.MultipartBody;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Needs root to mount a 1 MiB tmpfs; fails (does not skip) when that is impossible. */
class DiskFullUploadTest extends GuestServerFixture {
    private Path small;

    @BeforeEach
    void mountTinyTmpfs() throws Exception {
        small = Files.createDirectories(tmp.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", small.toString());
    }

    @Test
    void anUploadThatFillsTheDiskIs507AndLeavesNoFile() throws Exception {
        Path target = small.resolve("huge.bin");

        HttpResponse<String> response = post(
                "/files?path=" + q(target.toString()),
                new byte[3 * 1024 * 1024],
                "Content-Type",
                "application/octet-stream");

        assertThat(response.statusCode()).isEqualTo(507);
        assertThat(response.body()).startsWith("{\"code\":507,\"message\":").contains("disk space");
        assertThat(target).doesNotExist();
    }

    @Test
    void aMultipartUploadThatFillsTheDiskIs507AndLeavesNoFile() throws Exception {
        Path target = small.resolve("part.bin");
        byte[] body = new MultipartBody()
                .file(target.toString(), new byte[3 * 1024 * 1024])
                .build();

        HttpResponse<String> response = post("/files", body, "Content-Type", MultipartBody.contentType());

        assertThat(response.statusCode()).isEqualTo(507);
        assertThat(target).doesNotExist();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed (this test needs root to mount a tmpfs): " + output);
        }
    }
}
