package dev.wrenn.guest.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMetadataTest {
    @TempDir
    Path dir;

    @Test
    void metadataWrittenIsReadBackWithLowerCasedKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "x");

        FileMetadata.replace(file, Map.of("Owner", "alice", "purpose", "café ☕"));

        assertThat(FileMetadata.read(file))
                .containsExactly(Map.entry("owner", "alice"), Map.entry("purpose", "café ☕"));
    }

    @Test
    void metadataIsStoredAsUserE2bExtendedAttributes() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "x");

        FileMetadata.replace(file, Map.of("Kind", "report"));

        var view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        assertThat(view.list()).contains("e2b.kind");
        var buffer = java.nio.ByteBuffer.allocate(view.size("e2b.kind"));
        view.read("e2b.kind", buffer);
        assertThat(new String(buffer.array(), StandardCharsets.UTF_8)).isEqualTo("report");
    }

    @Test
    void replacingDropsKeysNoLongerPresentButLeavesForeignAttributes() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "x");
        var view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        view.write("other.tool", StandardCharsets.UTF_8.encode("keep"));
        FileMetadata.replace(file, Map.of("old", "1", "kept", "2"));

        FileMetadata.replace(file, Map.of("kept", "3"));

        assertThat(FileMetadata.read(file)).containsExactly(Map.entry("kept", "3"));
        assertThat(view.list()).contains("other.tool");
    }

    @Test
    void aFileWithoutMetadataOrNoFileAtAllHasEmptyMetadata() throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");

        assertThat(FileMetadata.read(file)).isEmpty();
        assertThat(FileMetadata.read(dir.resolve("missing"))).isEmpty();
    }
}
