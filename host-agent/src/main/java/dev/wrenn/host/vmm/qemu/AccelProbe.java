package dev.wrenn.host.vmm.qemu;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once whether VMs run under KVM or TCG. {@code /dev/kvm} existing is not enough: on nested hosts KVM
 * starts but an ordinary kernel never prints, so {@code auto} boots the kernel briefly under KVM and falls back to
 * TCG when the serial console stays silent.
 */
public final class AccelProbe {
    private static final Logger log = LoggerFactory.getLogger(AccelProbe.class);
    private static final Path KVM_DEVICE = Path.of("/dev/kvm");
    public static final Duration DEFAULT_PROBE_TIME = Duration.ofSeconds(4);
    /**
     * The first line of the kernel proper. Console output alone proves nothing: the real-mode boot stub prints
     * "Probing EDD" even where KVM then hangs.
     */
    static final String KERNEL_BANNER = "Linux version";

    private final Path kernel;
    private final Path workDir;
    private final Duration probeTime;
    private Accel decided;

    public AccelProbe(Path kernel, Path workDir, Duration probeTime) {
        this.kernel = kernel;
        this.workDir = workDir;
        this.probeTime = probeTime;
    }

    /** The accelerator for this mode; {@code auto} probes on the first call only. */
    public synchronized Accel decide(AccelMode mode) {
        if (decided == null) {
            decided = switch (mode) {
                case KVM -> Accel.KVM;
                case TCG -> Accel.TCG;
                case AUTO -> probe();
            };
            log.info("VM accelerator: {} (mode {})", decided, mode.name().toLowerCase(java.util.Locale.ROOT));
        }
        return decided;
    }

    private Accel probe() {
        if (!Files.isReadable(KVM_DEVICE) || !Files.isWritable(KVM_DEVICE)) {
            log.info("no usable {}: using TCG", KVM_DEVICE);
            return Accel.TCG;
        }
        if (!Files.isReadable(kernel)) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION, "probing KVM: guest kernel " + kernel + " is missing");
        }
        return kernelPrintsUnderKvm() ? Accel.KVM : Accel.TCG;
    }

    private boolean kernelPrintsUnderKvm() {
        Path dir = workDir.resolve("accel-probe");
        // loglevel=8 overrides `quiet` so the kernel prints its banner in its first milliseconds.
        VmSpec spec = new VmSpec("accel-probe", kernel, null, null, 1, 128, dir, null, null, "loglevel=8 edd=off");
        QemuMicrovm vm = new QemuMicrovm(spec, Accel.KVM, HostCpu.tscKhz());
        try {
            vm.start();
            boolean printed = bannerWithin(spec.consoleLog(), probeTime);
            log.info("KVM probe boot: kernel banner {} within {}", printed ? "printed" : "not printed", probeTime);
            return printed;
        } catch (HostAgentException e) {
            log.info("KVM probe boot failed to start, using TCG: {}", e.getMessage());
            return false;
        } finally {
            vm.stop(Duration.ofSeconds(2));
            deleteTree(dir);
        }
    }

    private static boolean bannerWithin(Path console, Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            if (contents(console).contains(KERNEL_BANNER)) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static String contents(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // The probe directory sits under the data dir, which the sweeper clears at the next start.
        }
    }
}
