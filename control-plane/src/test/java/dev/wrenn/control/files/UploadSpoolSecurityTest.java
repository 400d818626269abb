package dev.wrenn.control.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;

/**
 * Issue 12 item 8: {@code files/write} answers all or nothing, but must not hold a whole upload (up to the 100 MiB
 * limit) in the heap per request, or a few concurrent uploads exhaust the server's memory. Past 1 MiB the upload
 * is held in an owner-only spool file under the data directory, removed after the write and after a refusal.
 */
@Tag("security")
class UploadSpoolSecurityTest {
    private static final int LIMIT = 4 * 1024 * 1024;

    @OnBothDatabases
    void aLargeUploadIsSpooledToAPrivateFileNotTheHeapAndNothingIsLeft(Database database) {
        SpoolWatcher agent = new SpoolWatcher();
        try (SandboxFixture api = SandboxFixture.start(database, agent, LIMIT)) {
            agent.spoolDir = FileRoutes.spoolDir(api.dataDir());
            String id = api.createRunningForAda();
            byte[] content = FileApiTest.randomBytes(3 * 1024 * 1024);

            Reply written = write(api, id, "/tmp/big.bin", content);

            assertThat(written.status()).as(written.body()).isEqualTo(204);
            assertThat(agent.vm(id).files.get("/tmp/big.bin")).isEqualTo(content);
            assertThat(agent.seen)
                    .as("while the host agent was written to, the upload was on disk")
                    .hasSize(1);
            assertThat(agent.seen.getFirst().size()).isEqualTo(content.length);
            assertThat(agent.seen.getFirst().permissions())
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(spooled(agent.spoolDir))
                    .as("the spool file is deleted after the write")
                    .isEmpty();
        }
    }

    @OnBothDatabases
    void anUploadOverTheLimitIsRefusedWithNothingWrittenOrLeftBehind(Database database) {
        SpoolWatcher agent = new SpoolWatcher();
        try (SandboxFixture api = SandboxFixture.start(database, agent, LIMIT)) {
            agent.spoolDir = FileRoutes.spoolDir(api.dataDir());
            String id = api.createRunningForAda();

            Reply refused = write(api, id, "/tmp/too-big.bin", FileApiTest.randomBytes(LIMIT + 1));

            assertThat(refused.status()).isEqualTo(413);
            assertThat(agent.vm(id).files).doesNotContainKey("/tmp/too-big.bin");
            assertThat(spooled(agent.spoolDir)).isEmpty();
        }
    }

    private static Reply write(SandboxFixture api, String id, String path, byte[] content) {
        return api.server.postBytes(
                "/v1/sandboxes/" + id + "/files/write",
                FileApiTest.form(path, content),
                "multipart/form-data; boundary=" + FileApiTest.BOUNDARY,
                api.adaByKey());
    }

    private static List<Path> spooled(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record SpoolFile(long size, Set<PosixFilePermission> permissions) {}

    /** Records the spool directory's files at the moment the control plane writes to the sandbox. */
    private static final class SpoolWatcher extends InMemoryHostAgent {
        final List<SpoolFile> seen = new CopyOnWriteArrayList<>();
        volatile Path spoolDir;

        @Override
        public long writeFileStream(WriteFileMeta meta, InputStream content) {
            for (Path file : spooled(spoolDir)) {
                try {
                    seen.add(new SpoolFile(Files.size(file), Files.getPosixFilePermissions(file)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return super.writeFileStream(meta, content);
        }
    }
}
