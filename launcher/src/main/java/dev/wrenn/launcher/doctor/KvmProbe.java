package dev.wrenn.launcher.doctor;

import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.launcher.doctor.Probes.KvmResult;
import dev.wrenn.launcher.doctor.Probes.KvmState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * KVM as the host agent will find it. {@code /dev/kvm} existing is not enough (a nested VM's KVM can hang an ordinary
 * guest), so the answer comes from the host agent's own {@link AccelProbe}: a short boot of the guest kernel.
 */
final class KvmProbe implements Probes.Kvm {
    private static final Path DEVICE = Path.of("/dev/kvm");
    private final Path dataDir;
    private final boolean boot;

    KvmProbe(Path dataDir, boolean boot) {
        this.dataDir = dataDir;
        this.boot = boot;
    }

    @Override
    public KvmResult probe() {
        if (!Files.exists(DEVICE)) {
            return new KvmResult(KvmState.ABSENT, "");
        }
        if (!Files.isReadable(DEVICE) || !Files.isWritable(DEVICE)) {
            return new KvmResult(KvmState.NO_ACCESS, "");
        }
        Path kernel = new ImageStore(dataDir.resolve("images")).baseKernel();
        if (!boot) {
            return new KvmResult(KvmState.NOT_PROBED, "the host agent boots its probe at start (./wrenn doctor now)");
        }
        if (!Files.isReadable(kernel)) {
            return new KvmResult(
                    KvmState.NOT_PROBED, "no guest kernel yet at " + kernel + " (./wrenn image builds it)");
        }
        return boot(kernel);
    }

    private static KvmResult boot(Path kernel) {
        Path work = null;
        try {
            work = Files.createTempDirectory("wrenn-doctor-kvm");
            Accel accel = new AccelProbe(kernel, work, AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
            return accel == Accel.KVM
                    ? new KvmResult(KvmState.USABLE, "(probe boot of " + kernel.getFileName() + ")")
                    : new KvmResult(KvmState.UNUSABLE, "");
        } catch (IOException e) {
            throw new UncheckedIOException("creating a directory for the KVM probe", e);
        } finally {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system clears it at the latest on reboot
        }
    }
}
