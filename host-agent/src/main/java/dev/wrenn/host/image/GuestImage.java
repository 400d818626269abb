package dev.wrenn.host.image;

import java.nio.file.Path;

/**
 * The files a sandbox of one template boots from. {@code dir} is the real (versioned) directory, never the
 * {@code current} symlink: a sandbox's disk overlay names this path, so a later image build cannot change the base
 * under it.
 */
public record GuestImage(String template, Path dir) {
    public static final String KERNEL = "vmlinuz";
    public static final String INITRAMFS = "initramfs.cpio.gz";
    public static final String ROOTFS = "rootfs.ext4";

    public Path kernel() {
        return dir.resolve(KERNEL);
    }

    public Path initramfs() {
        return dir.resolve(INITRAMFS);
    }

    public Path rootfs() {
        return dir.resolve(ROOTFS);
    }
}
