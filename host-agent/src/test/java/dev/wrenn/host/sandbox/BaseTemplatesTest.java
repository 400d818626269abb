package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.image.GuestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseTemplatesTest {
    @TempDir
    Path images;

    @Test
    void aBaseTemplateIsNamedAfterTheImageVersionAndTheShape() {
        GuestImage image = new GuestImage("base", images.resolve("685c15f9c54b3523-2"));

        assertThat(BaseTemplates.name(image, 2, 1024)).isEqualTo("_base-685c15f9c54b3523-2-2c1024m");
        assertThat(BaseTemplates.isBase("_base-685c15f9c54b3523-2-2c1024m")).isTrue();
        assertThat(BaseTemplates.isBase("my-template")).isFalse();
    }

    @Test
    void aFlatImageGetsANewVersionWhenItsRootDiskIsReplaced() throws Exception {
        Path flat = Files.createDirectories(images.resolve("images"));
        Path rootfs = Files.writeString(flat.resolve(GuestImage.ROOTFS), "disk one");
        GuestImage image = new GuestImage("base", flat);
        String before = BaseTemplates.version(image);

        Files.writeString(rootfs, "disk two, longer");
        Files.setLastModifiedTime(rootfs, FileTime.fromMillis(1_000_000));

        assertThat(before).startsWith("flat-");
        assertThat(BaseTemplates.version(image)).startsWith("flat-").isNotEqualTo(before);
    }
}
