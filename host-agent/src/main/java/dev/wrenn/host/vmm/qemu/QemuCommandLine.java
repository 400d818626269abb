package dev.wrenn.host.vmm.qemu;

import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.MemorySharing;
import dev.wrenn.host.vmm.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@code qemu-system-x86_64 -M microvm} argument vector for one {@link VmSpec}. */
public final class QemuCommandLine {
    public static final String BINARY = "qemu-system-x86_64";
    /** Every sandbox uses the same guest MAC: each lives in its own namespace, and snapshots stay portable. */
    public static final String GUEST_MAC = "02:fc:00:00:00:05";

    private QemuCommandLine() {}

    public static List<String> build(VmSpec spec, Accel accel, long tscKhz) {
        List<String> argv = new ArrayList<>(List.of(BINARY, "-name", "wrenn-" + spec.name()));
        argv.addAll(machine(spec, accel));
        argv.addAll(boot(spec, tscKhz));
        argv.addAll(List.of(
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                // A file, never a terminal: QEMU must not inherit or wait on one. Appending (O_APPEND), so that
                // ConsoleRotation can cut the file and QEMU's next write lands at its new end.
                "-chardev",
                "file,id=serial0,append=on,path=" + escape(spec.consoleLog()),
                "-serial",
                "chardev:serial0",
                "-qmp",
                "unix:" + escape(spec.qmpSocket()) + ",server=on,wait=off",
                "-no-reboot"));
        argv.addAll(disk(spec));
        argv.addAll(network(spec));
        if (spec.incoming()) {
            // Start paused with devices created but no guest code run, waiting for migrate-incoming over QMP.
            argv.addAll(List.of("-incoming", "defer"));
        }
        return argv;
    }

    private static List<String> machine(VmSpec spec, Accel accel) {
        List<String> argv = new ArrayList<>(List.of("-M", "microvm,memory-backend=mem"));
        argv.addAll(
                switch (accel) {
                    case KVM -> List.of("-accel", "kvm", "-cpu", "host");
                    case TCG -> List.of("-accel", "tcg,thread=multi", "-cpu", "max");
                });
        argv.addAll(List.of("-smp", Integer.toString(spec.vcpus()), "-m", spec.memoryMib() + "M"));
        // RAM in a file: shared, a pause leaves memory in place and resume maps it again (x-ignore-shared);
        // private, a clone reads its template's pages copy-on-write and never writes the file.
        String share = spec.ramSharing() == MemorySharing.SHARED ? "on" : "off";
        argv.addAll(List.of(
                "-object",
                "memory-backend-file,id=mem,size=%dM,mem-path=%s,share=%s"
                        .formatted(spec.memoryMib(), escape(spec.ramFile()), share)));
        return argv;
    }

    private static List<String> boot(VmSpec spec, long tscKhz) {
        List<String> argv = new ArrayList<>(List.of("-kernel", spec.kernel().toString()));
        if (spec.initrd() != null) {
            argv.addAll(List.of("-initrd", spec.initrd().toString()));
        }
        String append = "console=ttyS0 quiet panic=-1 tsc_early_khz=" + tscKhz;
        if (!spec.extraKernelArgs().isBlank()) {
            append += " " + spec.extraKernelArgs().strip();
        }
        argv.addAll(List.of("-append", append));
        return argv;
    }

    private static List<String> disk(VmSpec spec) {
        if (spec.rootDisk() == null) {
            return List.of();
        }
        return List.of(
                "-drive",
                "id=root,file=" + escape(spec.rootDisk()) + ",format=qcow2,if=none",
                "-device",
                "virtio-blk-device,drive=root");
    }

    private static List<String> network(VmSpec spec) {
        if (spec.tap() == null) {
            return List.of();
        }
        return List.of(
                "-netdev",
                "tap,id=n0,ifname=" + spec.tap() + ",script=no,downscript=no",
                "-device",
                "virtio-net-device,netdev=n0,mac=" + GUEST_MAC);
    }

    /** QEMU option values are comma-separated; a literal comma is written twice. */
    static String escape(Path path) {
        return path.toString().replace(",", ",,");
    }
}
