package dev.wrenn.host.image;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Maps template names to the images they boot. Only {@code base} exists for now: the image images/build.sh
 * publishes as {@code <data>/images/<version>/} behind the {@code current} symlink. A data directory with the files
 * directly in {@code images/} (hand-placed test images, builds from before versioning) is read as well.
 */
public final class ImageStore {
    public static final String BASE = "base";
    public static final String CURRENT = "current";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}");

    private final Path imagesDir;

    /** @param imagesDir {@code <data dir>/images} */
    public ImageStore(Path imagesDir) {
        this.imagesDir = imagesDir.toAbsolutePath().normalize();
    }

    /** The image of a template, with every file checked to exist; fails naming the template or the missing file. */
    public GuestImage resolve(String template) {
        if (template == null || !NAME.matcher(template).matches()) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT, "template `%s` is not a valid template name".formatted(template));
        }
        if (!template.equals(BASE)) {
            throw new HostAgentException(
                    ErrorCode.NOT_FOUND, "template %s not found: this host has only `%s`".formatted(template, BASE));
        }
        GuestImage image = new GuestImage(template, baseDir());
        for (Path file : List.of(image.kernel(), image.initramfs(), image.rootfs())) {
            if (!Files.isRegularFile(file)) {
                throw new HostAgentException(
                        ErrorCode.FAILED_PRECONDITION,
                        "template %s: image file %s is missing (build the image with images/build.sh --data-dir %s)"
                                .formatted(template, file, imagesDir.getParent()));
            }
        }
        return image;
    }

    /** The base image's kernel, unchecked: the accelerator probe boots it when it must (and says so if absent). */
    public Path baseKernel() {
        return baseDir().resolve(GuestImage.KERNEL);
    }

    /** The versioned directory {@code current} points to now, else the flat {@code images/} directory. */
    private Path baseDir() {
        Path current = imagesDir.resolve(CURRENT);
        if (!Files.exists(current)) {
            return imagesDir;
        }
        try {
            return current.toRealPath();
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION, "resolving image link " + current + ": " + e.getMessage(), e);
        }
    }
}
