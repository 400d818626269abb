package dev.wrenn.launcher.doctor;

import dev.wrenn.launcher.UpOptions;
import dev.wrenn.launcher.doctor.Probes.KernelFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every host check, turning the probes' answers into findings that say what they mean and what to do. Kernel and
 * KVM findings are in {@link KernelChecks}; this class has the commands, privileges, resources, ports and the data
 * directory.
 */
public final class Checks {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    /** Below this the guest image build (a Debian tree, a 2 GiB sparse disk) or a pause cannot finish. */
    static final long DISK_FAIL_BYTES = 2 * GIB;

    static final long DISK_WARN_BYTES = 10 * GIB;
    /** The launcher's JVM and one small sandbox need about this much. */
    static final long MEMORY_FAIL_BYTES = 512 * MIB;

    static final long MEMORY_WARN_BYTES = 2 * GIB;

    private final UpOptions options;
    private final HostPackages packages;
    private final Probes probes;

    public Checks(UpOptions options, HostPackages packages, Probes probes) {
        this.options = options;
        this.packages = packages;
        this.probes = probes;
    }

    /** All findings, in the order the doctor prints them. */
    public List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        findings.add(privileges());
        findings.addAll(commands());
        KernelChecks kernel = new KernelChecks(probes);
        findings.add(kernel.kvm(probes.commands().onPath("qemu-system-x86_64")));
        for (KernelFeature feature : KernelFeature.values()) {
            findings.add(kernel.feature(feature));
        }
        findings.add(kernel.cgroups());
        findings.add(disk());
        findings.add(memory());
        findings.addAll(ports());
        findings.add(DataDirCheck.check(options.dataDir(), probes.dataDirs()));
        return findings;
    }

    Finding privileges() {
        if (probes.root()) {
            return Finding.ok("root", "running as root, as ./wrenn up must (namespaces, TAP devices, nft, QEMU)");
        }
        return Finding.warn(
                "root",
                "not root: ./wrenn up must run as root; checks that need root (nft, the KVM boot probe) may say less",
                "run it as root: sudo ./wrenn doctor, then sudo ./wrenn up");
    }

    /** One finding per package with a missing command, or one saying all are there. */
    List<Finding> commands() {
        List<Finding> findings = new ArrayList<>();
        for (HostPackages.HostPackage pkg : packages.packages()) {
            List<String> missing = pkg.commands().stream()
                    .filter(command -> !probes.commands().onPath(command))
                    .toList();
            if (!missing.isEmpty()) {
                findings.add(Finding.fail(
                        "package " + pkg.name(),
                        String.join(", ", missing) + " not on the PATH: Wrenn needs it (" + pkg.why() + ")",
                        "apt-get install -y --no-install-recommends " + pkg.name()
                                + " (as root; sudo ./wrenn up installs every missing package)"));
            }
        }
        if (findings.isEmpty()) {
            findings.add(Finding.ok(
                    "packages",
                    "the commands of all " + packages.packages().size() + " host packages are installed ("
                            + HostPackages.FILE + ")"));
        }
        return findings;
    }

    Finding disk() {
        long free = probes.resources().freeDiskBytes(options.dataDir());
        String what = gib(free) + " free for " + options.dataDir();
        if (free < DISK_FAIL_BYTES) {
            return Finding.fail(
                    "disk",
                    what + ": the guest image build and paused sandboxes need at least " + gib(DISK_FAIL_BYTES),
                    "free space there, or pass --data-dir DIR on a larger file system");
        }
        if (free < DISK_WARN_BYTES) {
            return Finding.warn(
                    "disk",
                    what + ": enough to start; each paused sandbox and template keeps its memory on disk",
                    "keep " + gib(DISK_WARN_BYTES) + " or more free for more than a few paused sandboxes");
        }
        return Finding.ok("disk", what);
    }

    Finding memory() {
        long available = probes.resources().availableMemoryBytes();
        String what = gib(available) + " of memory available";
        if (available < MEMORY_FAIL_BYTES) {
            return Finding.fail(
                    "memory",
                    what + ": Wrenn and one sandbox need at least " + MEMORY_FAIL_BYTES / MIB + " MiB",
                    "stop other programs or add memory");
        }
        if (available < MEMORY_WARN_BYTES) {
            return Finding.warn(
                    "memory", what + ": room for only a few sandboxes", "stop other programs or add memory");
        }
        return Finding.ok("memory", what);
    }

    List<Finding> ports() {
        Set<Integer> ports = new TreeSet<>(List.of(options.port(), options.proxyPort()));
        ports.remove(0); // 0: any free port, chosen at start
        List<Finding> findings = new ArrayList<>();
        for (int port : ports) {
            String use = port == options.port() ? "the API and web console" : "the sandbox traffic proxy";
            String topic = "port " + port;
            findings.add(
                    probes.ports().free(options.host(), port)
                            ? Finding.ok(topic, "free on " + options.host() + " for " + use)
                            : Finding.fail(
                                    topic,
                                    "already in use on " + options.host() + ": " + use + " cannot listen there",
                                    "stop the program on it (ss -ltnp 'sport = :" + port + "' names it), or pass "
                                            + (port == options.port() ? "--port N" : "--proxy-port M")));
        }
        return findings;
    }

    static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
    }
}
