package dev.wrenn.host.oci;

import dev.wrenn.host.image.GuestImage;

/**
 * An image ready to boot: kernel, initramfs and root disk in one directory, the image's config and the manifest
 * digest that was pulled (empty for Wrenn's own base).
 */
public record PreparedImage(GuestImage image, ImageConfig config, String digest) {}
