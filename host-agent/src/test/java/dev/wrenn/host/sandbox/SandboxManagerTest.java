package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.guest.GuestReadiness;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.testing.GuestImages;
import dev.wrenn.host.testing.HostTier;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
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

/** Whole create/destroy flows with real VMs (the busybox test guest), networks and disk overlays. */
class SandboxManagerTest {
    private static final int CYCLES = 10;
    private static Accel accel;

    @TempDir
    Path root;

    private final Ip ip = new Ip();
    private final Nft nft = new Nft();
    private final SlotAllocator slots = new SlotAllocator();
    private DataDir dataDir;
    private SandboxManager manager;

    @BeforeEach
    void setUp() throws Exception {
        HostTier.requireTools();
        dataDir = new DataDir(root);
        Files.createDirectories(dataDir.images());
        Files.copy(GuestImages.kernel(), dataDir.kernel());
        Files.copy(GuestImages.initramfs(), dataDir.initramfs());
        try (RandomAccessFile base = new RandomAccessFile(dataDir.baseRootfs().toFile(), "rw")) {
            base.setLength(32L << 20); // the test guest never mounts it; the overlay is what is checked
        }
        if (accel == null) {
            accel = new AccelProbe(dataDir.kernel(), root, AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
        }
        manager = managerWith(new EnvdHealth());
    }

    @AfterEach
    void tearDown() {
        manager.close();
        new Sweeper(dataDir, ip, nft).sweep();
    }

    @Test
    void aCreatedSandboxRunsAndAnswersAtItsHostIp() throws Exception {
        SandboxSummary sandbox = manager.create(SandboxRequest.defaults());

        assertThat(sandbox.sandboxId()).matches("sb-[0-9a-f]{8}");
        assertThat(sandbox.state()).isEqualTo(VmState.RUNNING);
        assertThat(sandbox.hostIp()).hasToString("10.11.0.1");
        assertThat(sandbox.memoryMb()).isEqualTo(512);
        assertThat(httpGet("http://10.11.0.1/hello.txt")).isEqualTo(GuestImages.HELLO);
        assertThat(dataDir.sandbox(sandbox.sandboxId()).resolve("disk.qcow2")).exists();
        assertThat(manager.list()).extracting(SandboxSummary::sandboxId).containsExactly(sandbox.sandboxId());
    }

    @Test
    void destroyLeavesNoProcessNetworkFileOrSlot() {
        SandboxSummary sandbox = manager.create(new SandboxRequest("sb-destroy1", null, 1, 256, 0));

        manager.destroy(sandbox.sandboxId());

        assertNothingLeft();
    }

    @Test
    void aFailedCreateUnwindsEverythingItHadAcquired() {
        manager = managerWith((hostIp, timeout) -> {
            throw new HostAgentException(ErrorCode.DEADLINE_EXCEEDED, "guest agent at " + hostIp + " not healthy");
        });

        assertThatThrownBy(() -> manager.create(new SandboxRequest("sb-fails", null, 1, 256, 0)))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("10.11.0.1 not healthy");

        assertNothingLeft();
    }

    @Test
    void repeatedCreateAndDestroyCyclesLeaveNothingBehind() {
        for (int i = 0; i < CYCLES; i++) {
            SandboxSummary sandbox = manager.create(new SandboxRequest(null, null, 1, 256, 0));
            assertThat(sandbox.hostIp()).hasToString("10.11.0.1"); // the slot is reused each time
            manager.destroy(sandbox.sandboxId());
        }

        assertNothingLeft();
    }

    @Test
    void unknownAndDuplicateIdsAreReportedWithTheirCodes() {
        manager.create(new SandboxRequest("sb-twice", null, 1, 256, 0));

        assertThatThrownBy(() -> manager.create(new SandboxRequest("sb-twice", null, 1, 256, 0)))
                .hasMessage("sandbox sb-twice already exists")
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThatThrownBy(() -> manager.get("sb-nothere"))
                .hasMessage("sandbox sb-nothere not found")
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        manager.destroy("sb-nothere");
        assertThat(slots.inUse()).isEqualTo(1);
    }

    @Test
    void unsafeNamesAreRejectedBeforeAnythingIsAcquired() {
        assertThatThrownBy(() -> manager.create(new SandboxRequest("../etc", null, 1, 256, 0)))
                .hasMessageContaining("sandbox id `../etc` is not a safe name");
        assertThat(slots.inUse()).isZero();
    }

    private SandboxManager managerWith(GuestReadiness readiness) {
        long tscKhz = HostCpu.tscKhz();
        return new SandboxManager(
                dataDir,
                slots,
                new SandboxNetwork(ip, nft, NetworkConfig.isolated()),
                new QemuImg(),
                spec -> new QemuMicrovm(spec, accel, tscKhz),
                readiness,
                Duration.ofSeconds(60));
    }

    private void assertNothingLeft() {
        assertThat(manager.list()).isEmpty();
        assertThat(slots.inUse()).isZero();
        assertThat(ip.listNetns()).noneMatch(ns -> ns.startsWith("wrenn-ns-"));
        assertThat(ip.listLinks(null)).noneMatch(link -> link.startsWith("wrenn-v"));
        assertThat(dataDir.sandboxes()).isEmptyDirectory();
        assertThat(ProcessHandle.allProcesses())
                .noneMatch(p -> p.info().commandLine().orElse("").contains(root.toString() + "/"));
    }

    private static String httpGet(String url) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
