package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.guest.EnvdInitializer;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxLimits;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.Sweeper;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.VmmFactory;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A data directory of its own for the pause, resume and template tests ({@code /var/lib/wrenn-test-snapshots}, slots
 * 260..271), holding hard links to the real image's current version, so other tests' image rebuilds and sweeps never
 * touch its templates or snapshots. The image is {@link RealImage}'s, or the one built under
 * {@code -Dwrenn.test.snapshotImageDir}. Managers are wired as the host agent wires them, with the real /init.
 */
public final class RealSnapshotHost {
    public static final Path DATA_DIR = Path.of("/var/lib/wrenn-test-snapshots");
    public static final SlotRange SLOTS = new SlotRange(260, 12);

    private RealSnapshotHost() {}

    /** The data directory, its images/current linked to the source image's current version. */
    public static synchronized DataDir dataDir() {
        String configured = System.getProperty("wrenn.test.snapshotImageDir");
        DataDir source =
                configured == null || configured.isBlank() ? RealImage.dataDir() : new DataDir(Path.of(configured));
        Path version = new ImageStore(source.images()).resolve("base").dir();
        DataDir data = new DataDir(DATA_DIR);
        Path target = data.images().resolve(version.getFileName());
        try {
            if (!Files.isDirectory(target)) {
                Files.createDirectories(target);
                try (Stream<Path> files = Files.list(version)) {
                    for (Path file : files.toList()) {
                        Files.createLink(target.resolve(file.getFileName()), file);
                    }
                }
            }
            Path current = data.images().resolve(ImageStore.CURRENT);
            Files.deleteIfExists(current);
            Files.createSymbolicLink(current, target.getFileName());
        } catch (IOException e) {
            fail("linking the image " + version + " into " + data.images() + ": " + e, e);
        }
        return data;
    }

    public static SandboxManager manager(DataDir dataDir, EnvdClients guests) {
        return manager(dataDir, guests, UnaryOperator.identity());
    }

    /** @param wrap lets a test put a fault into the VMMs the manager makes */
    public static SandboxManager manager(
            DataDir dataDir, EnvdClients guests, UnaryOperator<dev.wrenn.host.vmm.Vmm> wrap) {
        Accel accel = RealSandboxes.accel(dataDir);
        long tscKhz = HostCpu.tscKhz();
        VmmFactory vmms = spec -> wrap.apply(new QemuMicrovm(spec, accel, tscKhz));
        SandboxManager manager = new SandboxManager(
                dataDir,
                new SlotAllocator(SLOTS),
                new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated()),
                new QemuImg(),
                vmms,
                new EnvdHealth(),
                new EnvdInitializer(guests, Clock.systemUTC()),
                RealSandboxes.BOOT_TIMEOUT,
                new ImageStore(dataDir.images()),
                SandboxLimits.NONE);
        manager.recover();
        return manager;
    }

    /** Removes VMs, networks and sandbox directories of this data directory and slot range. */
    public static void sweep(DataDir dataDir) {
        new Sweeper(dataDir, new Ip(), new Nft(), SLOTS).sweep();
    }

    /** Removes every paused snapshot (templates stay: the base templates are reused across tests and runs). */
    public static void deleteSnapshots(DataDir dataDir) {
        Path snapshots = dataDir.root().resolve("snapshots");
        if (!Files.exists(snapshots)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(snapshots)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            fail("deleting " + snapshots + ": " + e, e);
        }
    }
}
