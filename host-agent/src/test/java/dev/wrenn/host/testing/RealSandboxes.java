package dev.wrenn.host.testing;

import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxLimits;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.Sweeper;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import java.time.Duration;

/** Sandbox managers over the real guest image, wired as the host agent wires them. */
public final class RealSandboxes {
    /** Generous: a JVM starting in a TCG guest on a busy shared machine has taken 20 s here. */
    public static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    private static Accel accel;

    private RealSandboxes() {}

    /** Probed once per test JVM, as the agent does once per start. */
    public static synchronized Accel accel(DataDir dataDir) {
        if (accel == null) {
            accel = new AccelProbe(
                            new ImageStore(dataDir.images()).baseKernel(),
                            dataDir.root(),
                            AccelProbe.DEFAULT_PROBE_TIME)
                    .decide(AccelMode.AUTO);
        }
        return accel;
    }

    public static SandboxManager manager(DataDir dataDir, SlotAllocator slots, SandboxLimits limits) {
        return manager(dataDir, slots, limits, NetworkConfig.isolated());
    }

    public static SandboxManager manager(
            DataDir dataDir, SlotAllocator slots, SandboxLimits limits, NetworkConfig network) {
        Accel decided = accel(RealImage.dataDir());
        long tscKhz = HostCpu.tscKhz();
        return new SandboxManager(
                dataDir,
                slots,
                new SandboxNetwork(new Ip(), new Nft(), network),
                new QemuImg(),
                spec -> new QemuMicrovm(spec, decided, tscKhz),
                new EnvdHealth(),
                BOOT_TIMEOUT,
                new ImageStore(dataDir.images()),
                limits);
    }

    /** Removes whatever a test left in its data directory and slot range. */
    public static void sweep(DataDir dataDir) {
        new Sweeper(dataDir, new Ip(), new Nft(), RealImage.SLOTS).sweep();
    }
}
