package dev.wrenn.host.snapshot;

import dev.wrenn.host.vmm.VmSpec;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What a restore needs besides the files: the VM's shape (a restored QEMU must be configured like the one that
 * saved the state) and where the memory is.
 *
 * @param source the sandbox id that was paused, or for a template the sandbox it was made from
 * @param memoryInState true when guest RAM is inside the state file (a paused clone) rather than in {@code ram}
 * @param hasDisk false for a VM that ran from its initramfs alone
 * @param baseImage the image at the bottom of the disk's backing chain, for information and cleanup
 */
public record SnapshotMeta(
        String source,
        int vcpus,
        int memoryMib,
        String kernel,
        String initrd,
        String extraKernelArgs,
        boolean memoryInState,
        boolean hasDisk,
        String baseImage,
        String createdAt) {

    /** The meta of a VM that was just paused. */
    public static SnapshotMeta of(String source, VmSpec spec, boolean memoryInState, String baseImage) {
        return new SnapshotMeta(
                source,
                spec.vcpus(),
                spec.memoryMib(),
                spec.kernel().toString(),
                spec.initrd() == null ? null : spec.initrd().toString(),
                spec.extraKernelArgs(),
                memoryInState,
                spec.rootDisk() != null,
                baseImage,
                Instant.now().toString());
    }

    /** The same snapshot taken over by a template made from {@code sandboxId}. */
    public SnapshotMeta forTemplate(String sandboxId, String base) {
        return new SnapshotMeta(
                sandboxId,
                vcpus,
                memoryMib,
                kernel,
                initrd,
                extraKernelArgs,
                memoryInState,
                hasDisk,
                base,
                Instant.now().toString());
    }

    /** A VM configured like the one that saved this snapshot, placed where the restore runs it. */
    VmSpec spec(VmPlacement where, Path rootDisk) {
        return new VmSpec(
                where.name(),
                Path.of(kernel),
                initrd == null ? null : Path.of(initrd),
                rootDisk,
                vcpus,
                memoryMib,
                where.vmDir(),
                where.netns(),
                where.tap(),
                extraKernelArgs);
    }
}
