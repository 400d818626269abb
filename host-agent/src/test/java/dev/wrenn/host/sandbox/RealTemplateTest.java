package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.ProcessSpec;
import dev.wrenn.host.testing.RealSnapshotHost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Templates of real sandboxes and their clones: what clones share, what they must not, and template deletion. */
class RealTemplateTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final String RANDOM_HEX = "python3 -c 'import os; print(os.urandom(16).hex())'";

    private final EnvdClients guests = new EnvdClients();
    private DataDir dataDir;
    private SandboxManager manager;

    @BeforeEach
    void setUp() {
        dataDir = RealSnapshotHost.dataDir();
        RealSnapshotHost.sweep(dataDir);
        RealSnapshotHost.deleteSnapshots(dataDir);
        manager = RealSnapshotHost.manager(dataDir, guests);
        for (String leftover : new String[] {"tpl-clones"}) {
            manager.deleteSnapshot(leftover);
        }
    }

    @AfterEach
    void tearDown() {
        for (SandboxSummary sandbox : manager.list()) {
            manager.destroy(sandbox.sandboxId());
        }
        manager.deleteSnapshot("tpl-clones");
        manager.close();
        RealSnapshotHost.sweep(dataDir);
        guests.close();
    }

    @Test
    void clonesStartFromTheTemplateButNeitherSeeEachOthersWritesNorShareRandomBytesOrTokens() {
        String source = manager.create(new SandboxRequest("sb-tplsrc01", "base", 1, 512, 0))
                .sandboxId();
        sh(source, "echo disk-of-template > /home/user/t.txt && echo memory-of-template > /dev/shm/t");

        TemplateSummary template = manager.createSnapshot(source, "tpl-clones");

        assertThat(template.sizeBytes()).isPositive();
        assertThat(manager.get(source).state()).as("the source stays paused").isEqualTo(VmState.PAUSED);
        SandboxSummary a =
                manager.create(new SandboxRequest("sb-clonea01", "tpl-clones", 1, 1024, 0, Map.of("WHO", "a")));
        SandboxSummary b = manager.create(new SandboxRequest("sb-cloneb01", "tpl-clones", 0, 0, 0, Map.of("WHO", "b")));
        assertThat(a.clonedFrom()).isEqualTo("tpl-clones");
        assertThat(a.memoryMb()).as("the shape comes from the template").isEqualTo(512);
        assertThat(sh(a.sandboxId(), "cat /home/user/t.txt /dev/shm/t"))
                .isEqualTo("disk-of-template\nmemory-of-template");

        sh(a.sandboxId(), "echo disk-of-a > /home/user/t.txt && echo memory-of-a > /dev/shm/t");

        assertThat(sh(b.sandboxId(), "cat /home/user/t.txt /dev/shm/t"))
                .isEqualTo("disk-of-template\nmemory-of-template");
        assertThat(sh(a.sandboxId(), "cat /home/user/t.txt /dev/shm/t")).isEqualTo("disk-of-a\nmemory-of-a");
        assertThat(sh(a.sandboxId(), "echo $WHO")).isEqualTo("a");
        assertThat(sh(b.sandboxId(), "echo $WHO")).isEqualTo("b");
        assertThat(sh(a.sandboxId(), RANDOM_HEX)).isNotEqualTo(sh(b.sandboxId(), RANDOM_HEX));
        assertThat(manager.guest(a.sandboxId()).accessToken())
                .isNotEqualTo(manager.guest(b.sandboxId()).accessToken());

        manager.resume(source, 0);
        assertThat(sh(source, "cat /home/user/t.txt /dev/shm/t")).isEqualTo("disk-of-template\nmemory-of-template");
    }

    @Test
    void aTemplateCannotBeDeletedWhileClonesDependOnItAndItsFilesGoWithIt() {
        String source = manager.create(new SandboxRequest("sb-tplsrc02", "base", 1, 512, 0))
                .sandboxId();
        manager.createSnapshot(source, "tpl-clones");
        manager.destroy(source);
        String clone = manager.create(new SandboxRequest("sb-clonec01", "tpl-clones", 0, 0, 0))
                .sandboxId();
        manager.pause(clone);

        assertThatThrownBy(() -> manager.deleteSnapshot("tpl-clones"))
                .isInstanceOf(HostAgentException.class)
                .hasMessage("deleting template tpl-clones: [sandbox sb-clonec01] depend on it; destroy them first")
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.FAILED_PRECONDITION);

        manager.destroy(clone);
        manager.deleteSnapshot("tpl-clones");
        assertThat(dataDir.root().resolve("templates/tpl-clones")).doesNotExist();
        assertThat(dataDir.root().resolve("snapshots/" + clone)).doesNotExist();
        assertThat(dataDir.root().resolve("snapshots/" + source)).doesNotExist();
        assertThatThrownBy(() -> manager.create(new SandboxRequest(null, "tpl-clones", 0, 0, 0)))
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aBaseTemplateMadeAheadOfNeedIsWhatTheFirstCreateOfThatShapeClones() throws Exception {
        // A shape no other test uses, so that its base template is surely made here and removed afterwards.
        String expected =
                BaseTemplates.name(new dev.wrenn.host.image.ImageStore(dataDir.images()).resolve("base"), 1, 384);
        deleteTree(dataDir.root().resolve("templates").resolve(expected));
        assertThat(manager.hasBase(1, 384)).isFalse();

        String made = manager.prewarmBase(1, 384);

        assertThat(made).isEqualTo(expected);
        assertThat(manager.hasBase(1, 384)).isTrue();
        SandboxSummary first = manager.create(new SandboxRequest("sb-prewarm1", "base", 1, 384, 0));
        assertThat(first.clonedFrom())
                .as("the first create is a clone, not a boot")
                .isEqualTo(made);
        assertThat(sh(first.sandboxId(), "echo up")).isEqualTo("up");
        manager.destroy(first.sandboxId());
        deleteTree(dataDir.root().resolve("templates").resolve(expected));
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (var path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(path);
            }
        }
    }

    private String sh(String sandboxId, String script) {
        var result = guests.forGuest(manager.guest(sandboxId))
                .run(ProcessSpec.of("/bin/bash", "-c", script), COMMAND_TIMEOUT, 1 << 20);
        assertThat(result.exitCode())
                .as("`%s` failed: %s", script, result.stderr().toString(StandardCharsets.UTF_8))
                .isZero();
        return result.stdout().toString(StandardCharsets.UTF_8).strip();
    }
}
