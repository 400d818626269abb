package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.ProcessSpec;
import dev.wrenn.host.testing.RealSnapshotHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pause and resume of sandboxes of the real image (Debian, the real guest agent), through the manager as the agent
 * wires it. One sandbox is carried through several checks, because every VM costs seconds under TCG.
 */
class RealPauseResumeTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final String COUNTER =
            "nohup python3 -c 'import time\nn=0\nwhile True:\n  n+=1\n  open(\"/tmp/count\",\"w\").write(str(n))\n  time.sleep(0.05)' >/dev/null 2>&1 &";

    private final EnvdClients guests = new EnvdClients();
    private DataDir dataDir;
    private SandboxManager manager;

    @BeforeEach
    void setUp() {
        dataDir = RealSnapshotHost.dataDir();
        RealSnapshotHost.sweep(dataDir);
        RealSnapshotHost.deleteSnapshots(dataDir);
        manager = RealSnapshotHost.manager(dataDir, guests);
    }

    @AfterEach
    void tearDown() {
        for (SandboxSummary sandbox : manager.list()) {
            manager.destroy(sandbox.sandboxId());
        }
        manager.close();
        RealSnapshotHost.sweep(dataDir);
        guests.close();
    }

    @Test
    void aProgramFilesAndATmpfsFileCarryOnThroughFivePausesAndResumes() {
        SandboxSummary created = manager.create(new SandboxRequest("sb-pr000001", "base", 1, 512, 0));
        String id = created.sandboxId();
        assertThat(created.clonedFrom())
                .as("a base create is a clone of the base template")
                .startsWith("_base-");
        sh(id, COUNTER);
        sh(id, "echo written-before-pause > /home/user/before.txt");
        String sha = sh(id, "head -c 64M /dev/urandom > /dev/shm/blob && sha256sum /dev/shm/blob | cut -c1-64");
        long countBefore = count(id);

        for (int cycle = 1; cycle <= 5; cycle++) {
            SandboxSummary paused = manager.pause(id);
            assertThat(paused.state()).isEqualTo(VmState.PAUSED);
            assertThat(paused.hostIp())
                    .as("a paused sandbox holds no network slot")
                    .isNull();
            assertThat(manager.list()).extracting(SandboxSummary::state).containsExactly(VmState.PAUSED);
            assertThat(dataDir.root().resolve("snapshots/" + id + "/meta.json")).exists();

            SandboxSummary resumed = manager.resume(id, 0);
            assertThat(resumed.state()).isEqualTo(VmState.RUNNING);
            assertThat(sh(id, "sha256sum /dev/shm/blob | cut -c1-64"))
                    .as("cycle %d", cycle)
                    .isEqualTo(sha);
        }

        assertThat(sh(id, "cat /home/user/before.txt")).isEqualTo("written-before-pause");
        long countAfter = count(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(id) > countAfter);
        assertThat(countAfter).as("the counting loop kept its count").isGreaterThanOrEqualTo(countBefore);
        assertThat(dataDir.root().resolve("snapshots/" + id))
                .as("a running sandbox has no snapshot")
                .doesNotExist();

        manager.pause(id);
        manager.destroy(id);
        assertThat(dataDir.root().resolve("snapshots/" + id))
                .as("destroy removes the snapshot")
                .doesNotExist();
        assertThat(manager.list()).isEmpty();
    }

    @Test
    void aSandboxCreatedAtTheAddressOfADestroyedOneIsReachedThroughTheSameClients() {
        SandboxSummary first = manager.create(new SandboxRequest("sb-addr0001", "base", 1, 512, 0));
        assertThat(sh(first.sandboxId(), "echo first")).isEqualTo("first");
        manager.destroy(first.sandboxId());

        SandboxSummary second = manager.create(new SandboxRequest("sb-addr0002", "base", 1, 512, 0));

        assertThat(second.hostIp()).as("the freed slot is reused").isEqualTo(first.hostIp());
        assertThat(sh(second.sandboxId(), "echo second")).isEqualTo("second");
    }

    @Test
    void anIdleSandboxIsPausedAfterItsTimeoutAndReportedOnceAsAutoPaused() {
        manager.startInactivityReaper(Duration.ofSeconds(1));
        SandboxSummary created = manager.create(new SandboxRequest("sb-idle0001", "base", 1, 512, 3));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> manager.get(created.sandboxId()).state() == VmState.PAUSED);

        assertThat(manager.drainAutoPaused()).containsExactly(created.sandboxId());
        assertThat(manager.drainAutoPaused()).isEmpty();
        SandboxSummary resumed = manager.resume(created.sandboxId(), 0);
        assertThat(resumed.timeoutSec()).as("resume keeps the timeout").isEqualTo(3);
        assertThat(sh(created.sandboxId(), "echo alive")).isEqualTo("alive");
    }

    @Test
    void aRestartedAgentListsPausedSandboxesAgainAndReportsHalfMadeSnapshotsAsFailed() throws Exception {
        SandboxSummary created = manager.create(new SandboxRequest("sb-restart1", "base", 1, 512, 0));
        sh(created.sandboxId(), "echo kept > /home/user/kept.txt");
        manager.pause(created.sandboxId());
        Files.createDirectories(dataDir.root().resolve("snapshots/sb-halfmade"));
        Files.writeString(dataDir.root().resolve("snapshots/sb-halfmade/state"), "partial");

        SandboxManager restarted = RealSnapshotHost.manager(dataDir, guests);
        manager = restarted;

        assertThat(restarted.get(created.sandboxId()).state()).isEqualTo(VmState.PAUSED);
        SandboxSummary halfMade = restarted.get("sb-halfmade");
        assertThat(halfMade.state()).isEqualTo(VmState.FAILED);
        assertThat(halfMade.stopReason()).contains("the host agent restarted while this sandbox's VM was running");
        assertThat(dataDir.root().resolve("snapshots/sb-halfmade")).doesNotExist();
        restarted.resume(created.sandboxId(), 0);
        assertThat(sh(created.sandboxId(), "cat /home/user/kept.txt"))
                .as("resumed with the same access token, which the guest still demands")
                .isEqualTo("kept");
    }

    @Test
    void aPauseWhoseVmIsKilledMidwayLeavesTheSandboxFailedWithTheReason() {
        manager = RealSnapshotHost.manager(dataDir, guests, Faults::killedWhileSaving);
        SandboxSummary created = manager.create(new SandboxRequest("sb-killp001", "base", 1, 512, 0));

        assertThatThrownBy(() -> manager.pause(created.sandboxId())).isInstanceOf(HostAgentException.class);

        SandboxSummary after = manager.get(created.sandboxId());
        assertThat(after.state()).isEqualTo(VmState.FAILED);
        assertThat(after.stopReason()).startsWith("pausing it failed and its VM is gone");
        assertThat(dataDir.root().resolve("snapshots/" + created.sandboxId())).doesNotExist();
    }

    @Test
    void aResumeWhoseVmIsKilledMidwayLeavesTheSandboxPausedAndResumableLater() {
        Faults faults = new Faults();
        manager = RealSnapshotHost.manager(dataDir, guests, faults::killedWhileLoadingWhenArmed);
        SandboxSummary created = manager.create(new SandboxRequest("sb-killr001", "base", 1, 512, 0));
        sh(created.sandboxId(), "echo survives > /home/user/f.txt");
        manager.pause(created.sandboxId());
        faults.armed = true;

        assertThatThrownBy(() -> manager.resume(created.sandboxId(), 0)).hasMessageContaining("it stays paused");

        assertThat(manager.get(created.sandboxId()).state()).isEqualTo(VmState.PAUSED);
        faults.armed = false;
        manager.resume(created.sandboxId(), 0);
        assertThat(sh(created.sandboxId(), "cat /home/user/f.txt")).isEqualTo("survives");
    }

    private String sh(String sandboxId, String script) {
        var result = guests.forGuest(manager.guest(sandboxId))
                .run(ProcessSpec.of("/bin/bash", "-c", script), COMMAND_TIMEOUT, 1 << 20);
        assertThat(result.exitCode())
                .as("`%s` failed: %s", script, result.stderr().toString(StandardCharsets.UTF_8))
                .isZero();
        return result.stdout().toString(StandardCharsets.UTF_8).strip();
    }

    private long count(String sandboxId) {
        return Long.parseLong(sh(sandboxId, "cat /tmp/count"));
    }
}
