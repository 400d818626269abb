package dev.wrenn.host.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.testing.HostTier;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuImgTest {
    @TempDir
    Path dir;

    private final QemuImg qemuImg = new QemuImg();

    @BeforeEach
    void requireHost() {
        HostTier.requireTools();
    }

    @Test
    void anOverlayIsQcow2BackedByTheRawBaseWithItsSize() throws Exception {
        Path base = dir.resolve("rootfs.ext4");
        try (RandomAccessFile file = new RandomAccessFile(base.toFile(), "rw")) {
            file.setLength(64L << 20);
        }
        Path overlay = dir.resolve("sb.qcow2");

        qemuImg.createOverlay(base, "raw", overlay);

        ImageInfo info = qemuImg.info(overlay);
        assertThat(info.format()).isEqualTo("qcow2");
        assertThat(info.virtualSize()).isEqualTo(64L << 20);
        assertThat(info.backingFile()).isEqualTo(base.toString());
        assertThat(info.backingFormat()).isEqualTo("raw");
        assertThat(Files.size(overlay)).isLessThan(1L << 20);
    }

    @Test
    void aMissingBaseIsAnErrorNamingIt() {
        assertThatThrownBy(() -> qemuImg.createOverlay(dir.resolve("missing.ext4"), "raw", dir.resolve("sb.qcow2")))
                .hasMessageContaining("qemu-img create")
                .hasMessageContaining("missing.ext4");
    }
}
