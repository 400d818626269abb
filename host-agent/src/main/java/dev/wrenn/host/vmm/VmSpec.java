package dev.wrenn.host.vmm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a VMM needs to start one sandbox VM. The files of the VM (QMP socket, serial console, by default its
 * RAM) live in {@code vmDir}; {@code netns} and {@code tap} are null for a VM without network (probe boots, tests).
 *
 * @param rootDisk qcow2 overlay attached as /dev/vda, or null to boot from the initramfs alone
 * @param ramFile guest RAM as a file; null means {@code vmDir/memory.ram}
 * @param ramSharing SHARED for a sandbox's own RAM file, PRIVATE for a clone mapping its template's file
 * @param incoming start paused, waiting for {@link Vmm#loadState} instead of booting the kernel
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
        String extraKernelArgs,
        Path ramFile,
        MemorySharing ramSharing,
        boolean incoming) {

    public VmSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vmDir, "vmDir");
        if (vcpus < 1 || memoryMib < 16) {
            throw new IllegalArgumentException(
                    "VM %s needs at least 1 vCPU and 16 MiB, got %d and %d".formatted(name, vcpus, memoryMib));
        }
        extraKernelArgs = extraKernelArgs == null ? "" : extraKernelArgs;
        ramFile = ramFile == null ? vmDir.resolve("memory.ram") : ramFile;
        ramSharing = ramSharing == null ? MemorySharing.SHARED : ramSharing;
    }

    /** A cold-booting VM with its own shared RAM file in {@code vmDir}. */
    public VmSpec(
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
        this(
                name,
                kernel,
                initrd,
                rootDisk,
                vcpus,
                memoryMib,
                vmDir,
                netns,
                tap,
                extraKernelArgs,
                null,
                MemorySharing.SHARED,
                false);
    }

    /** The same VM mapping another RAM file, e.g. a template's, privately. */
    public VmSpec withRam(Path file, MemorySharing sharing) {
        return new VmSpec(
                name,
                kernel,
                initrd,
                rootDisk,
                vcpus,
                memoryMib,
                vmDir,
                netns,
                tap,
                extraKernelArgs,
                file,
                sharing,
                incoming);
    }

    /** The same VM started paused, to receive a saved state rather than boot. */
    public VmSpec asIncoming() {
        return new VmSpec(
                name,
                kernel,
                initrd,
                rootDisk,
                vcpus,
                memoryMib,
                vmDir,
                netns,
                tap,
                extraKernelArgs,
                ramFile,
                ramSharing,
                true);
    }

    public Path qmpSocket() {
        return vmDir.resolve("qmp.sock");
    }

    public Path consoleLog() {
        return vmDir.resolve("console.log");
    }
}
