package dev.wrenn.host.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.testing.DelegatingVmm;
import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.Vmm;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause and resume of a real guest (TCG here): what the guest keeps, what is on disk, and how failures end. */
class PauseResumeTest {
    @TempDir
    Path data;

    private GuestVms vms;

    @AfterEach
    void cleanUp() {
        if (vms != null) {
            vms.close();
        }
    }

    @Test
    void aGuestKeepsCountingAndKeepsItsMemoryAcrossFivePauseResumeCyclesInAlternatingSlots() throws Exception {
        vms = new GuestVms(data);
        Slot[] slots = {vms.slot(32401), vms.slot(32402)};
        RestoredVm running = vms.boot("sb-cycles", slots[0]);
        String blob = GuestVms.get(slots[0], "/cgi-bin/blob");
        String boot = GuestVms.get(slots[0], "/cgi-bin/boot");
        GuestVms.get(slots[0], "/cgi-bin/mem?kept-in-guest-memory");
        GuestVms.get(slots[0], "/cgi-bin/disk?kept-on-disk");
        Pauser pauser = new Pauser(vms.store);
        Resumer resumer = new Resumer(vms.store, vms.vmms);

        for (int cycle = 1; cycle <= 5; cycle++) {
            Slot before = slots[(cycle + 1) % 2];
            Slot after = slots[cycle % 2];
            long counted = GuestVms.counter(before);
            pauser.pause("sb-cycles", running.vm(), running.spec());
            assertThat(running.vm().isAlive()).isFalse();

            running = resumer.resume("sb-cycles", vms.placement("sb-cycles", after));
            long resumedAt = Long.parseLong(vms.awaitAnswer(after, "/cgi-bin/counter", running.spec()));
            assertThat(resumedAt).as("counter after resume %d", cycle).isGreaterThanOrEqualTo(counted);
            await().atMost(GuestVms.GUEST_LIMIT).until(() -> GuestVms.counter(after) > resumedAt);
            assertThat(GuestVms.get(after, "/cgi-bin/boot")).isEqualTo(boot);
            assertThat(GuestVms.get(after, "/cgi-bin/blob")).isEqualTo(blob);
            assertThat(GuestVms.get(after, "/cgi-bin/mem")).isEqualTo("kept-in-guest-memory");
            assertThat(GuestVms.get(after, "/cgi-bin/disk")).isEqualTo("kept-on-disk");
        }
        assertThat(vms.store.paused("sb-cycles"))
                .as("a resumed snapshot is consumed")
                .isEmpty();
    }

    @Test
    void aPauseLeavesACommittedSnapshotWhoseDiskUsageIsUsedBlocksAndDeleteRemovesIt() throws Exception {
        vms = new GuestVms(data);
        RestoredVm running = vms.boot("sb-files", vms.slot(32403));

        Snapshot snapshot = new Pauser(vms.store).pause("sb-files", running.vm(), running.spec());

        SnapshotFiles files = vms.store.pausedFiles("sb-files");
        assertThat(vms.store.paused("sb-files")).contains(snapshot);
        assertThat(vms.store.pausedIds()).containsExactly("sb-files");
        assertThat(files.ram()).hasSize(256L << 20);
        assertThat(files.state()).exists();
        assertThat(files.disk()).exists();
        assertThat(Files.isSameFile(running.spec().ramFile(), files.ram()))
                .as("the snapshot's RAM is the VM's file under a second name, not a copy")
                .isTrue();
        assertThat(snapshot.meta().memoryMib()).isEqualTo(256);
        assertThat(snapshot.meta().memoryInState()).isFalse();
        long used = vms.store.diskUsageBytes(files);
        assertThat(used)
                .as("allocated bytes of a barely used 256 MiB guest")
                .isPositive()
                .isLessThan(256L << 20);
        assertThat(vms.store.diskUsageBytes())
                .as("all snapshots, directories included")
                .isGreaterThanOrEqualTo(used);

        vms.store.deletePaused("sb-files");
        assertThat(files.dir()).doesNotExist();
        assertThat(vms.store.paused("sb-files")).isEmpty();
        assertThat(vms.store.diskUsageBytes())
                .as("what is left: empty directories")
                .isLessThan(64 * 1024);
    }

    @Test
    void aVmKilledDuringPauseLeavesNoSnapshotAndAnErrorNamingTheSandbox() throws Exception {
        vms = new GuestVms(data);
        RestoredVm running = vms.boot("sb-killed", vms.slot(32404));
        Vmm killedWhileSaving = new DelegatingVmm(running.vm()) {
            @Override
            public StateFile saveState(Path target, Duration timeout) {
                ProcessHandle.of(running.vm().pid()).ifPresent(qemu -> {
                    qemu.destroyForcibly();
                    qemu.onExit().join();
                });
                return super.saveState(target, timeout);
            }
        };

        assertThatThrownBy(() -> new Pauser(vms.store).pause("sb-killed", killedWhileSaving, running.spec()))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("pausing sandbox sb-killed failed, its VM process is gone");

        assertThat(vms.store.paused("sb-killed")).isEmpty();
        assertThat(vms.store.pausedFiles("sb-killed").dir()).doesNotExist();
    }

    @Test
    void aFailedStateSaveKeepsTheVmRunningAndLeavesNoSnapshot() throws Exception {
        vms = new GuestVms(data);
        Slot slot = vms.slot(32405);
        RestoredVm running = vms.boot("sb-failed", slot);
        Vmm unwritableTarget = new DelegatingVmm(running.vm()) {
            @Override
            public StateFile saveState(Path target, Duration timeout) {
                return super.saveState(Path.of("/nonexistent-dir/state"), timeout);
            }
        };

        assertThatThrownBy(() -> new Pauser(vms.store).pause("sb-failed", unwritableTarget, running.spec()))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("pausing sandbox sb-failed failed, the VM keeps running");

        assertThat(vms.store.paused("sb-failed")).isEmpty();
        assertThat(Files.exists(running.spec().ramFile())).isTrue();
        assertThat(((QemuMicrovm) running.vm())
                        .qmp()
                        .execute("query-status")
                        .path("status")
                        .asText())
                .isEqualTo("running");
        long now = GuestVms.counter(slot);
        await().atMost(GuestVms.GUEST_LIMIT).until(() -> GuestVms.counter(slot) > now);
    }

    @Test
    void resumingASandboxWithoutSnapshotIsNotFound() throws Exception {
        vms = new GuestVms(data);
        assertThatThrownBy(() ->
                        new Resumer(vms.store, vms.vmms).resume("sb-none", vms.placement("sb-none", new Slot(32406))))
                .isInstanceOf(HostAgentException.class)
                .hasMessage("resuming sandbox sb-none: it has no paused snapshot");
    }
}
