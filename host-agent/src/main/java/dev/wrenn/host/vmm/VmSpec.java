package dev.wrenn.host.vmm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a VMM needs to start one sandbox VM. The files of the VM (RAM, QMP socket, serial console) live in
 * {@code vmDir}; {@code netns} and {@code tap} are null for a VM without network (probe boots, tests).
 *
 * @param rootDisk qcow2 overlay attached as /dev/vda, or null to boot from the initramfs alone
 */
public record VmSpec(
        String name,
        Path kernel,
        Path initrd,
        Path rootDisk,
        int vcpus,
        int memoryMib,
        Path vmDir,
        String netns,
        String tap,
        String extraKernelArgs) {

    public VmSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vmDir, "vmDir");
        if (vcpus < 1 || memoryMib < 16) {
            throw new IllegalArgumentException(
                    "VM %s needs at least 1 vCPU and 16 MiB, got %d and %d".formatted(name, vcpus, memoryMib));
        }
        extraKernelArgs = extraKernelArgs == null ? "" : extraKernelArgs;
    }

    /** Guest RAM as a file, so a pause can leave memory where it is and a resume can map it again. */
    public Path ramFile() {
        return vmDir.resolve("memory.ram");
    }

    public Path qmpSocket() {
        return vmDir.resolve("qmp.sock");
    }

    public Path consoleLog() {
        return vmDir.resolve("console.log");
    }
}
