package dev.wrenn.launcher.doctor;

import dev.wrenn.launcher.doctor.Probes.CgroupV2;
import dev.wrenn.launcher.doctor.Probes.KernelFeature;
import dev.wrenn.launcher.doctor.Probes.KvmResult;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** KVM and the kernel features sandboxes rely on. */
final class KernelChecks {
    static final List<String> CGROUP_CONTROLLERS = List.of("cpu", "memory", "pids", "io");
    /** What running without KVM costs, said wherever KVM cannot be used. */
    static final String TCG_CONSEQUENCE = "sandboxes run under TCG: software emulation, several times slower, and"
            + " not a hardware isolation boundary (only the QEMU process stands between tenant code and this host)";

    private final Probes probes;

    KernelChecks(Probes probes) {
        this.probes = probes;
    }

    Finding kvm(boolean qemuInstalled) {
        if (!qemuInstalled) {
            return Finding.warn("kvm", "not probed: QEMU is not installed (see the package finding)", "");
        }
        KvmResult result = probes.kvm().probe();
        return switch (result.state()) {
            case USABLE ->
                Finding.ok(
                        "kvm",
                        "/dev/kvm boots a guest kernel: sandboxes run under KVM, isolated by "
                                + "the CPU's virtualisation " + result.detail());
            case UNUSABLE ->
                Finding.warn(
                        "kvm",
                        "/dev/kvm is present but cannot run an ordinary guest (a probe boot under KVM printed nothing; "
                                + "typical of a nested VM): " + TCG_CONSEQUENCE,
                        "for KVM, run Wrenn on bare metal or on a VM with working nested virtualisation;"
                                + " WRENN_ACCEL=tcg skips the probe at start");
            case ABSENT ->
                Finding.warn(
                        "kvm",
                        "/dev/kvm is absent: " + TCG_CONSEQUENCE,
                        "for KVM, enable VT-x/AMD-V in the firmware (or nested virtualisation) and load kvm_intel or"
                                + " kvm_amd");
            case NO_ACCESS ->
                Finding.warn(
                        "kvm",
                        "/dev/kvm is present but this user cannot open it: as root the host agent probes it at start",
                        "run sudo ./wrenn doctor to probe it");
            case NOT_PROBED -> Finding.ok("kvm", "/dev/kvm is present; not probed here: " + result.detail());
        };
    }

    Finding feature(KernelFeature feature) {
        Optional<Boolean> present = probes.kernel().has(feature);
        String topic = topic(feature);
        if (present.isEmpty()) {
            return Finding.warn(
                    topic,
                    "could not tell whether the kernel has it (no /proc/config.gz, /boot/config-*, or modules list)",
                    "if sandboxes fail to start, check the kernel for " + feature.configKey());
        }
        if (present.get()) {
            return Finding.ok(topic, "the kernel has it (" + use(feature) + ")");
        }
        if (feature == KernelFeature.USERFAULTFD) {
            return Finding.warn(
                    topic,
                    "the kernel lacks it: QEMU sandboxes work; a userfaultfd backend (lazy memory on resume) cannot",
                    "a kernel with " + feature.configKey());
        }
        return Finding.fail(topic, "the kernel lacks it: " + use(feature), "a kernel with " + feature.configKey());
    }

    Finding cgroups() {
        Optional<CgroupV2> cgroup = probes.kernel().cgroupV2();
        String use = "per-sandbox CPU, memory, process and disk I/O limits";
        if (cgroup.isEmpty()) {
            return Finding.warn(
                    "cgroup v2",
                    "no cgroup v2 hierarchy is mounted: " + use + " cannot be set",
                    "boot with systemd.unified_cgroup_hierarchy=1 (the default since Debian 11)");
        }
        Set<String> missing = new TreeSet<>(CGROUP_CONTROLLERS);
        missing.removeAll(cgroup.get().controllers());
        if (missing.isEmpty()) {
            return Finding.ok("cgroup v2", "mounted at " + cgroup.get().mount() + " with " + CGROUP_CONTROLLERS);
        }
        return Finding.warn(
                "cgroup v2",
                "mounted at " + cgroup.get().mount() + " without the " + String.join(", ", missing) + " controller"
                        + (missing.size() > 1 ? "s" : "") + " (a hybrid v1/v2 setup keeps them in v1): " + use
                        + " cannot be set",
                "boot with systemd.unified_cgroup_hierarchy=1 (the default since Debian 11)");
    }

    private static String topic(KernelFeature feature) {
        return switch (feature) {
            case TUN -> "tun";
            case NET_NS -> "network namespaces";
            case VETH -> "veth";
            case NFTABLES -> "nftables";
            case USERFAULTFD -> "userfaultfd";
        };
    }

    private static String use(KernelFeature feature) {
        return switch (feature) {
            case TUN -> "each sandbox's network card is a TAP device";
            case NET_NS -> "each sandbox has its own network namespace";
            case VETH -> "a veth pair links each sandbox's namespace to the host";
            case NFTABLES -> "each sandbox's NAT and isolation rules are nftables tables";
            case USERFAULTFD -> "lazy memory loading on resume";
        };
    }
}
