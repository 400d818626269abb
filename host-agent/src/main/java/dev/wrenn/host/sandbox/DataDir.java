package dev.wrenn.host.sandbox;

import java.nio.file.Path;

/**
 * The host agent's files under its data directory (default /var/lib/wrenn): base images built by images/build.sh
 * and one directory per live sandbox. Everything under {@code sandboxes/} is disposable at start.
 */
public record DataDir(Path root) {
    public static final Path DEFAULT = Path.of("/var/lib/wrenn");

    public DataDir {
        root = root.toAbsolutePath().normalize();
    }

    public Path images() {
        return root.resolve("images");
    }

    public Path kernel() {
        return images().resolve("vmlinuz");
    }

    public Path initramfs() {
        return images().resolve("initramfs.cpio.gz");
    }

    public Path baseRootfs() {
        return images().resolve("rootfs.ext4");
    }

    public Path sandboxes() {
        return root.resolve("sandboxes");
    }

    /** RAM file, QMP socket, console log and disk overlay of one sandbox. */
    public Path sandbox(String sandboxId) {
        return sandboxes().resolve(sandboxId);
    }
}
