package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.testing.Leftovers;
import dev.wrenn.host.testing.RealImage;
import dev.wrenn.host.testing.RealSandboxes;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real guest image (Debian kernel, root disk, the real guest agent) booted through the manager. */
class RealSandboxLifecycleTest {
    private static final int CYCLES = 30;

    private final SlotAllocator slots = new SlotAllocator(RealImage.SLOTS);
    private DataDir dataDir;
    private SandboxManager manager;

    @BeforeEach
    void setUp() {
        dataDir = RealImage.dataDir();
        RealSandboxes.sweep(dataDir);
        manager = RealSandboxes.manager(dataDir, slots, SandboxLimits.NONE);
    }

    @AfterEach
    void tearDown() {
        manager.close();
        RealSandboxes.sweep(dataDir);
    }

    @Test
    void aBaseSandboxBootsTheRealGuestAgentWhichAnswersHealthAtItsHostIp() throws Exception {
        SandboxSummary sandbox = manager.create(SandboxRequest.defaults());

        assertThat(sandbox.template()).isEqualTo("base");
        assertThat(sandbox.state()).isEqualTo(VmState.RUNNING);
        assertThat(healthStatus(sandbox)).isEqualTo(204);
        Path versioned = new ImageStore(dataDir.images()).resolve("base").rootfs();
        assertThat(versioned.toString()).doesNotContain("/current/");
        assertThat(sandbox.clonedFrom())
                .as("a base create clones the base template")
                .startsWith("_base-");
        String templateDisk = new QemuImg()
                .info(dataDir.sandbox(sandbox.sandboxId()).resolve("disk.qcow2"))
                .backingFile();
        assertThat(new QemuImg().info(Path.of(templateDisk)).backingFile())
                .as("the base template's disk names the versioned base, so a rebuild cannot change it")
                .isEqualTo(versioned.toString());
    }

    @Test
    void aRebuiltImageIsANewVersionAndTheOneUnderARunningSandboxStays() throws Exception {
        SandboxSummary sandbox = manager.create(new SandboxRequest("sb-rebuild1", "base", 1, 256, 0));
        Path before = new ImageStore(dataDir.images()).resolve("base").dir();

        String output = RealImage.rebuild();

        Path after = new ImageStore(dataDir.images()).resolve("base").dir();
        assertThat(after).isNotEqualTo(before);
        assertThat(output)
                .contains("kept " + before.getFileName() + ": a disk under " + dataDir.root() + " still uses it");
        assertThat(before.resolve("rootfs.ext4")).exists();
        assertThat(healthStatus(sandbox)).isEqualTo(204);
    }

    @Test
    void thirtyCreateAndDestroyCyclesLeaveNothingBehind() throws Exception {
        for (int i = 0; i < CYCLES; i++) {
            SandboxSummary sandbox = manager.create(new SandboxRequest(null, "base", 1, 256, 0));
            assertThat(healthStatus(sandbox)).as("cycle %d", i).isEqualTo(204);
            manager.destroy(sandbox.sandboxId());
        }

        assertThat(manager.list()).isEmpty();
        assertThat(slots.inUse()).isZero();
        Leftovers.assertNone(dataDir, RealImage.SLOTS);
    }

    @Test
    void aKilledQemuIsReportedStoppedWithItsReasonAndItsResourcesAreReleased() {
        SandboxSummary sandbox = manager.create(new SandboxRequest("sb-killed01", "base", 1, 256, 0));
        ProcessHandle qemu = Leftovers.qemusOf(dataDir).getFirst();

        qemu.destroyForcibly();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> manager.get(sandbox.sandboxId()).state() == VmState.STOPPED);
        SandboxSummary stopped = manager.get(sandbox.sandboxId());
        assertThat(stopped.stopReason())
                // A plain create restores the base template, so this QEMU's console holds only what the guest printed
                // after the restore (often nothing); the reason must still say how QEMU ended and quote the console.
                .startsWith("QEMU was killed by signal 9 (SIGKILL); serial console:");
        assertThat(slots.inUse()).isZero();
        Leftovers.assertNone(dataDir, RealImage.SLOTS);
        assertThatThrownBy(() -> manager.ping(sandbox.sandboxId(), Duration.ofSeconds(1)))
                .hasMessageStartingWith("sandbox sb-killed01 is stopped: QEMU was killed by signal 9");
        manager.destroy(sandbox.sandboxId());
        assertThat(manager.list()).isEmpty();
    }

    @Test
    void aGuestThatCannotBootFailsTheCreateQuotingItsConsoleAndLeavesNothing(@TempDir Path root) throws Exception {
        DataDir broken = new DataDir(root);
        GuestImageFiles.linkKernelAndInitramfs(dataDir, broken);
        try (RandomAccessFile disk = new RandomAccessFile(broken.baseRootfs().toFile(), "rw")) {
            disk.setLength(64L << 20); // no file system: the initramfs cannot mount it and gives up
        }
        SandboxManager brokenManager = RealSandboxes.manager(broken, slots, SandboxLimits.NONE);

        assertThatThrownBy(() -> brokenManager.create(new SandboxRequest("sb-noboot1", "base", 1, 256, 0)))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("booting sandbox sb-noboot1: QEMU exited")
                .hasMessageContaining("wrenn-initramfs: cannot mount /dev/vda")
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.INTERNAL);
        assertThat(brokenManager.list()).isEmpty();
        Leftovers.assertNone(broken, RealImage.SLOTS);
    }

    private static int healthStatus(SandboxSummary sandbox) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + sandbox.hostIp() + ":49983/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** Files of the real image placed in another data directory, flat, as symlinks. */
    private static final class GuestImageFiles {
        static void linkKernelAndInitramfs(DataDir from, DataDir to) throws Exception {
            Files.createDirectories(to.images());
            Path source = new ImageStore(from.images()).resolve("base").dir();
            Files.createSymbolicLink(to.kernel(), source.resolve("vmlinuz"));
            Files.createSymbolicLink(to.initramfs(), source.resolve("initramfs.cpio.gz"));
        }
    }
}
