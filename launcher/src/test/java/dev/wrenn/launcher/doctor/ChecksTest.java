package dev.wrenn.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.launcher.UpOptions;
import dev.wrenn.launcher.doctor.Finding.Severity;
import dev.wrenn.launcher.doctor.Probes.CgroupV2;
import dev.wrenn.launcher.doctor.Probes.KvmResult;
import dev.wrenn.launcher.doctor.Probes.KvmState;
import dev.wrenn.launcher.doctor.Probes.Ownership;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The doctor's findings from fake probes: what each host condition is called, and what the user is told to do. */
class ChecksTest {
    private static final UpOptions OPTIONS = UpOptions.parse(List.of("--data-dir", "/srv/wrenn"), Map.of());
    private static final HostPackages PACKAGES = HostPackages.parse("""
            # comment
            nftables: nft   # each sandbox's rules
            qemu-utils: qemu-img
            """);

    /** A healthy host; each test changes one answer. */
    private record Host(
            Predicate<String> commands,
            KvmResult kvm,
            Optional<Boolean> feature,
            Optional<CgroupV2> cgroup,
            long disk,
            long memory,
            Set<Integer> busyPorts,
            Optional<Ownership> dataDir) {
        static Host healthy() {
            return new Host(
                    command -> true,
                    new KvmResult(KvmState.USABLE, ""),
                    Optional.of(true),
                    Optional.of(new CgroupV2(Path.of("/sys/fs/cgroup"), Set.of("cpu", "memory", "pids", "io"))),
                    50 * Checks.GIB,
                    8 * Checks.GIB,
                    Set.of(),
                    Optional.of(new Ownership(true, 0, PosixFilePermissions.fromString("rwx------"))));
        }

        Host withCommands(Predicate<String> value) {
            return new Host(value, kvm, feature, cgroup, disk, memory, busyPorts, dataDir);
        }

        Host withKvm(KvmResult value) {
            return new Host(commands, value, feature, cgroup, disk, memory, busyPorts, dataDir);
        }

        Host withFeature(Optional<Boolean> value) {
            return new Host(commands, kvm, value, cgroup, disk, memory, busyPorts, dataDir);
        }

        Host withCgroup(Optional<CgroupV2> value) {
            return new Host(commands, kvm, feature, value, disk, memory, busyPorts, dataDir);
        }

        Host withDisk(long value) {
            return new Host(commands, kvm, feature, cgroup, value, memory, busyPorts, dataDir);
        }

        Host withMemory(long value) {
            return new Host(commands, kvm, feature, cgroup, disk, value, busyPorts, dataDir);
        }

        Host withBusyPorts(Set<Integer> value) {
            return new Host(commands, kvm, feature, cgroup, disk, memory, value, dataDir);
        }

        Host withDataDir(Optional<Ownership> value) {
            return new Host(commands, kvm, feature, cgroup, disk, memory, busyPorts, value);
        }

        List<Finding> findings() {
            Probes probes = new Probes(
                    commands::test,
                    () -> kvm,
                    new Probes.Kernel() {
                        @Override
                        public Optional<Boolean> has(Probes.KernelFeature f) {
                            return feature;
                        }

                        @Override
                        public Optional<CgroupV2> cgroupV2() {
                            return cgroup;
                        }
                    },
                    new Probes.Resources() {
                        @Override
                        public long freeDiskBytes(Path dir) {
                            return disk;
                        }

                        @Override
                        public long availableMemoryBytes() {
                            return memory;
                        }
                    },
                    (host, port) -> !busyPorts.contains(port),
                    dir -> dataDir,
                    true);
            return new Checks(OPTIONS, PACKAGES, probes).run();
        }
    }

    private static Finding about(List<Finding> findings, String topic) {
        return findings.stream()
                .filter(f -> f.topic().equals(topic))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no finding about " + topic + " in " + findings));
    }

    @Test
    void aHealthyHostHasNoWarningOrFailure() {
        assertThat(Host.healthy().findings())
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.OK));
    }

    @Test
    void aMissingCommandFailsNamingItsPackageAndTheInstallCommand() {
        Host host = Host.healthy();
        List<Finding> findings =
                host.withCommands(command -> !command.equals("nft")).findings();

        Finding finding = about(findings, "package nftables");
        assertThat(finding.severity()).isEqualTo(Severity.FAIL);
        assertThat(finding.meaning()).contains("nft not on the PATH").contains("each sandbox's rules");
        assertThat(finding.fix()).contains("apt-get install -y --no-install-recommends nftables");
    }

    @Test
    void kvmThatHangsAGuestIsAWarningThatSaysWhatTcgCosts() {
        Host host = Host.healthy();
        Finding kvm = about(host.withKvm(new KvmResult(KvmState.UNUSABLE, "")).findings(), "kvm");

        assertThat(kvm.severity()).isEqualTo(Severity.WARN);
        assertThat(kvm.meaning())
                .contains("present but cannot run an ordinary guest")
                .contains("software emulation")
                .contains("not a hardware isolation boundary");
    }

    @Test
    void absentKvmIsAWarningAndUsableKvmIsFine() {
        Host host = Host.healthy();
        Finding absent = about(host.withKvm(new KvmResult(KvmState.ABSENT, "")).findings(), "kvm");

        assertThat(absent.severity()).isEqualTo(Severity.WARN);
        assertThat(absent.meaning()).startsWith("/dev/kvm is absent").contains("TCG");
        assertThat(about(host.findings(), "kvm").meaning()).contains("run under KVM");
    }

    @Test
    void aKernelWithoutTunOrNftablesFailsButWithoutUserfaultfdOnlyWarns() {
        Host host = Host.healthy();
        List<Finding> findings = host.withFeature(Optional.of(false))
                .withCgroup(Optional.empty())
                .findings();

        assertThat(about(findings, "tun").severity()).isEqualTo(Severity.FAIL);
        assertThat(about(findings, "tun").fix()).contains("CONFIG_TUN");
        assertThat(about(findings, "nftables").severity()).isEqualTo(Severity.FAIL);
        assertThat(about(findings, "userfaultfd").severity()).isEqualTo(Severity.WARN);
        assertThat(about(findings, "cgroup v2").severity()).isEqualTo(Severity.WARN);
    }

    @Test
    void cgroupV2WithoutItsControllersNamesTheMissingOnes() {
        Host host = Host.healthy();
        Finding cgroup = about(
                host.withCgroup(Optional.of(new CgroupV2(Path.of("/sys/fs/cgroup/unified"), Set.of("pids"))))
                        .findings(),
                "cgroup v2");

        assertThat(cgroup.severity()).isEqualTo(Severity.WARN);
        assertThat(cgroup.meaning()).contains("without the cpu, io, memory controllers");
    }

    @Test
    void aBusyPortOrAFullDiskFails() {
        Host host = Host.healthy();
        List<Finding> findings =
                host.withDisk(Checks.GIB).withBusyPorts(Set.of(8081)).findings();

        assertThat(about(findings, "port 8080").severity()).isEqualTo(Severity.OK);
        assertThat(about(findings, "port 8081").severity()).isEqualTo(Severity.FAIL);
        assertThat(about(findings, "port 8081").fix()).contains("--proxy-port M");
        assertThat(about(findings, "disk").severity()).isEqualTo(Severity.FAIL);
        assertThat(about(findings, "disk").meaning()).contains("1.0 GiB free for /srv/wrenn");
    }

    @Test
    void aDataDirectoryOthersCanWriteOrThatRootDoesNotOwnFails() {
        Host host = Host.healthy();
        Finding writable = about(
                host.withDataDir(Optional.of(new Ownership(true, 0, PosixFilePermissions.fromString("rwxrwxrwx"))))
                        .findings(),
                "data directory");
        Finding foreign = about(
                host.withDataDir(Optional.of(new Ownership(true, 1000, PosixFilePermissions.fromString("rwx------"))))
                        .findings(),
                "data directory");

        assertThat(writable.severity()).isEqualTo(Severity.FAIL);
        assertThat(writable.fix()).isEqualTo("chmod 700 /srv/wrenn");
        assertThat(foreign.severity()).isEqualTo(Severity.FAIL);
        assertThat(foreign.meaning()).contains("owned by uid 1000");
    }

    @Test
    void theReportEndsWithTheVerdict() {
        List<Finding> findings = List.of(Finding.ok("a", "fine"), Finding.fail("b", "broken", "mend it"));

        String report = Doctor.report(OPTIONS, findings, "wrenn doctor");

        assertThat(report)
                .contains("  FAIL  b: broken\n        do: mend it")
                .endsWith("1 failed, 0 warnings: Wrenn cannot run here until the failed checks are fixed");
    }
}
