package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.guest.EnvdInitializer;
import dev.wrenn.host.guest.GuestEndpoint;
import dev.wrenn.host.guest.GuestInitializer;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.testing.GuestImages;
import dev.wrenn.host.testing.HostTier;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest initialization step of create, over the busybox test guest: it answers /health but has no /init, which
 * is exactly a guest agent that refuses /init.
 */
class GuestInitOnCreateTest {
    // Clear of the slots other VM test classes on this machine use (see RealHostAgent).
    private static final int FIRST_SLOT = 50;
    private static Accel accel;

    @TempDir
    Path root;

    private final SlotAllocator slots = new SlotAllocator();
    private final EnvdClients guests = new EnvdClients();
    private DataDir dataDir;
    private SandboxManager manager;

    @BeforeEach
    void setUp() throws Exception {
        HostTier.requireTools();
        dataDir = new DataDir(root);
        Files.createDirectories(dataDir.images());
        Files.copy(GuestImages.kernel(), dataDir.kernel());
        Files.copy(GuestImages.initramfs(), dataDir.initramfs());
        try (var base = new java.io.RandomAccessFile(dataDir.baseRootfs().toFile(), "rw")) {
            base.setLength(32L << 20); // the test guest never mounts its disk, but every image has one
        }
        if (accel == null) {
            accel = new AccelProbe(dataDir.kernel(), root, AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
        }
        for (int i = 1; i < FIRST_SLOT; i++) {
            slots.reserve(new Slot(i));
        }
    }

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.close();
        }
        guests.close();
    }

    @Test
    void theGuestGetsAFreshTokenAndTheCreateRequestsEnvVars() {
        List<GuestEndpoint> initialized = new ArrayList<>();
        List<Map<String, String>> envs = new ArrayList<>();
        manager = managerWith((guest, envVars, timeout) -> {
            initialized.add(guest);
            envs.add(envVars);
        });

        manager.create(new SandboxRequest("sb-init0001", null, 1, 256, 0, Map.of("FOO", "bar")));

        // The first create of an image also initializes the VM its base template is made from, under its own name.
        assertThat(initialized).last().satisfies(guest -> {
            assertThat(guest.sandboxId()).isEqualTo("sb-init0001");
            assertThat(guest.accessToken()).matches("[0-9a-f]{64}");
            assertThat(guest.toString()).doesNotContain(guest.accessToken());
        });
        assertThat(initialized)
                .filteredOn(g -> g.sandboxId().equals("sb-init0001"))
                .hasSize(1);
        assertThat(envs).last().isEqualTo(Map.of("FOO", "bar"));
        assertThat(manager.guest("sb-init0001")).isEqualTo(initialized.getLast());
    }

    @Test
    void aGuestThatRefusesInitFailsTheCreateAndLeavesNothing() {
        manager = managerWith(new EnvdInitializer(guests, Clock.systemUTC()));

        assertThatThrownBy(() -> manager.create(new SandboxRequest("sb-init0002", null, 1, 256, 0)))
                .hasMessageContaining("initializing the guest agent in sandbox sb-init0002: guest agent answered");

        assertThat(manager.list()).isEmpty();
        assertThat(slots.inUse()).isEqualTo(FIRST_SLOT - 1);
        assertThat(new Ip().listNetns()).doesNotContain(new Slot(FIRST_SLOT).netns());
        assertThat(dataDir.sandboxes()).isEmptyDirectory();
        assertThat(ProcessHandle.allProcesses())
                .noneMatch(p -> p.info().commandLine().orElse("").contains(root.toString() + "/"));
    }

    @Test
    void invalidEnvVarNamesAreRejectedBeforeAnythingIsAcquired() {
        manager = managerWith(GuestInitializer.NONE);

        assertThatThrownBy(() -> manager.create(new SandboxRequest(null, null, 1, 256, 0, Map.of("A=B", "x"))))
                .hasMessage("creating sandbox: env var name `A=B` is not a valid variable name");
        assertThat(slots.inUse()).isEqualTo(FIRST_SLOT - 1);
    }

    private SandboxManager managerWith(GuestInitializer initializer) {
        long tscKhz = HostCpu.tscKhz();
        return new SandboxManager(
                dataDir,
                slots,
                new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated()),
                new QemuImg(),
                spec -> new QemuMicrovm(spec, accel, tscKhz),
                new EnvdHealth(),
                initializer,
                Duration.ofSeconds(60));
    }
}
