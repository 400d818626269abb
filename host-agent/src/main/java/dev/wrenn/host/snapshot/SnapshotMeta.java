package dev.wrenn.host.snapshot;

import dev.wrenn.host.vmm.VmSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What a restore needs besides the files: the VM's shape (a restored QEMU must be configured like the one that
 * saved the state) and where the memory is.
 *
 * @param source the sandbox id that was paused, or for a template the sandbox it was made from
 * @param memoryInState true when guest RAM is inside the state file (a paused clone) rather than in {@code ram}
 * @param hasDisk false for a VM that ran from its initramfs alone
 * @param baseImage the image at the bottom of the disk's backing chain, for information and cleanup
 * @param attributes what the layer above keeps with the snapshot (its sandbox's template, timeout, guest token...),
 *     so that a restarted agent can list a paused sandbox again; a template inherits its source's attributes
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
        String createdAt,
        Map<String, String> attributes) {

    public SnapshotMeta {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The meta of a VM that was just paused. */
    public static SnapshotMeta of(
            String source, VmSpec spec, boolean memoryInState, String baseImage, Map<String, String> attributes) {
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
                Instant.now().toString(),
                attributes);
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
                Instant.now().toString(),
                attributes);
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
