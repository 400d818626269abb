package dev.wrenn.host.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.VmSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private final VmSpec spec = new VmSpec(
            "sb-1",
            Path.of("/var/lib/wrenn/images/vmlinuz"),
            Path.of("/var/lib/wrenn/images/initramfs.cpio.gz"),
            Path.of("/var/lib/wrenn/sandboxes/sb-1/rootfs.qcow2"),
            2,
            512,
            Path.of("/var/lib/wrenn/sandboxes/sb-1"),
            "wrenn-ns-1",
            "tap0",
            "init=/sbin/wrenn-init");

    @Test
    void ramIsASharedFileUnderTheSandboxDirectory() {
        assertThat(pairs(Accel.TCG))
                .contains("-M microvm,memory-backend=mem")
                .contains(
                        "-object memory-backend-file,id=mem,size=512M,mem-path=/var/lib/wrenn/sandboxes/sb-1/memory.ram,share=on")
                .contains("-m 512M")
                .contains("-smp 2");
    }

    @Test
    void tcgIsMultiThreadedAndKvmUsesTheHostCpu() {
        assertThat(pairs(Accel.TCG)).contains("-accel tcg,thread=multi", "-cpu max");
        assertThat(pairs(Accel.KVM)).contains("-accel kvm", "-cpu host");
    }

    @Test
    void theKernelGetsTheHostTscRateAndTheExtraArguments() {
        assertThat(pairs(Accel.TCG))
                .contains("-append console=ttyS0 quiet panic=-1 tsc_early_khz=2445406 init=/sbin/wrenn-init");
    }

    @Test
    void theConsoleGoesToAFileQmpToASocketAndTheVmNeverReboots() {
        List<String> argv = QemuCommandLine.build(spec, Accel.TCG, 2_445_406);

        assertThat(pairs(Accel.TCG))
                .contains("-chardev file,id=serial0,append=on,path=/var/lib/wrenn/sandboxes/sb-1/console.log")
                .contains("-serial chardev:serial0")
                .contains("-qmp unix:/var/lib/wrenn/sandboxes/sb-1/qmp.sock,server=on,wait=off");
        assertThat(argv).contains("-no-reboot", "-nodefaults").doesNotContain("-nographic");
    }

    @Test
    void theDiskIsTheQcow2OverlayAndTheNicIsTheTap() {
        assertThat(pairs(Accel.TCG))
                .contains("-drive id=root,file=/var/lib/wrenn/sandboxes/sb-1/rootfs.qcow2,format=qcow2,if=none")
                .contains("-netdev tap,id=n0,ifname=tap0,script=no,downscript=no")
                .contains("-device virtio-net-device,netdev=n0,mac=02:fc:00:00:00:05");
    }

    @Test
    void qemuRunsInsideTheSandboxNamespace() {
        List<String> argv = new QemuMicrovm(spec, Accel.TCG, 1).argv();

        assertThat(argv.subList(0, 5)).containsExactly("ip", "netns", "exec", "wrenn-ns-1", "qemu-system-x86_64");
    }

    @Test
    void commasInPathsAreEscapedForQemu() {
        assertThat(QemuCommandLine.escape(Path.of("/data/a,b/qmp.sock"))).isEqualTo("/data/a,,b/qmp.sock");
    }

    /** Each option with its value, as one string, so assertions read like the command line. */
    private List<String> pairs(Accel accel) {
        List<String> argv = QemuCommandLine.build(spec, accel, 2_445_406);
        return java.util.stream.IntStream.range(0, argv.size() - 1)
                .mapToObj(i -> argv.get(i) + " " + argv.get(i + 1))
                .toList();
    }

    @Test
    void aCloneMapsItsTemplatesRamPrivatelyAndWaitsForIncomingState() {
        dev.wrenn.host.vmm.VmSpec clone = spec.withRam(
                        Path.of("/var/lib/wrenn/templates/t/ram"), dev.wrenn.host.vmm.MemorySharing.PRIVATE)
                .asIncoming();

        List<String> argv = QemuCommandLine.build(clone, Accel.TCG, 2_445_406);

        assertThat(String.join(" ", argv))
                .contains("memory-backend-file,id=mem,size=512M,mem-path=/var/lib/wrenn/templates/t/ram,share=off")
                .endsWith("-incoming defer");
        assertThat(QemuCommandLine.build(spec, Accel.TCG, 1)).doesNotContain("-incoming");
    }
}
