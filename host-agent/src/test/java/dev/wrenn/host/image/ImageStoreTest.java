package dev.wrenn.host.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
    @TempDir
    Path images;

    @Test
    void baseResolvesThroughTheCurrentLinkToTheVersionedDirectory() throws Exception {
        Path version = fullImage(images.resolve("0123456789abcdef"));
        Files.createSymbolicLink(images.resolve("current"), Path.of("0123456789abcdef"));

        GuestImage image = new ImageStore(images).resolve("base");

        assertThat(image.dir()).isEqualTo(version.toRealPath());
        assertThat(image.rootfs()).isEqualTo(version.toRealPath().resolve("rootfs.ext4"));
    }

    @Test
    void aDataDirectoryWithoutVersionsIsReadFlat() throws Exception {
        fullImage(images);

        assertThat(new ImageStore(images).resolve("base").dir()).isEqualTo(images.toAbsolutePath());
    }

    @Test
    void anUnknownTemplateIsNotFoundAndABadNameIsInvalid() {
        assertCode("python-3.12", ErrorCode.NOT_FOUND, "template python-3.12 not found: this host has only `base`");
        assertCode("../base", ErrorCode.INVALID_ARGUMENT, "template `../base` is not a valid template name");
        assertCode("x".repeat(65), ErrorCode.INVALID_ARGUMENT, "is not a valid template name");
    }

    @Test
    void aMissingImageFileFailsThePreconditionNamingTheFile() throws Exception {
        fullImage(images);
        Files.delete(images.resolve("initramfs.cpio.gz"));

        assertCode("base", ErrorCode.FAILED_PRECONDITION, images.resolve("initramfs.cpio.gz") + " is missing");
    }

    private void assertCode(String template, ErrorCode code, String message) {
        assertThatThrownBy(() -> new ImageStore(images).resolve(template))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(code);
    }

    private static Path fullImage(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String file : new String[] {"vmlinuz", "initramfs.cpio.gz", "rootfs.ext4"}) {
            Files.writeString(dir.resolve(file), file);
        }
        return dir;
    }
}
