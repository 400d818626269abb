package dev.wrenn.guest.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import dev.wrenn.protocol.envd.filesystem.FileType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryInfosTest {
    @TempDir
    Path tempDir;

    private FsFixture fs;
    private EntryInfos entries;

    @BeforeEach
    void setUp() throws Exception {
        fs = new FsFixture(tempDir);
        entries = new EntryInfos(fs.users);
    }

    @Test
    void aFileIsDescribedWithNamePathSizeModeOwnerAndTime() throws Exception {
        Path file = Files.writeString(fs.root.resolve("hello.txt"), "Hello, World!");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-01T10:15:30.123456789Z")));
        Files.setAttribute(file, "unix:uid", FsFixture.ALICE_UID);

        EntryInfo entry = entries.describe(file);

        assertThat(entry.getName()).isEqualTo("hello.txt");
        assertThat(entry.getPath()).isEqualTo(file.toString());
        assertThat(entry.getType()).isEqualTo(FileType.FILE_TYPE_FILE);
        assertThat(entry.getSize()).isEqualTo(13);
        assertThat(entry.getMode()).isEqualTo(0644).isEqualTo(420);
        assertThat(entry.getPermissions()).isEqualTo("-rw-r--r--");
        assertThat(entry.getOwner()).isEqualTo("alice");
        assertThat(entry.getGroup()).isEqualTo("root");
        assertThat(entry.getModifiedTime().getSeconds())
                .isEqualTo(Instant.parse("2024-05-01T10:15:30Z").getEpochSecond());
        assertThat(entry.getModifiedTime().getNanos()).isEqualTo(123456789);
        assertThat(entry.hasSymlinkTarget()).isFalse();
    }

    @Test
    void aDirectoryHasDirectoryTypeAndItsPermissions() throws Exception {
        Path dir = Files.createDirectory(fs.root.resolve("docs"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        EntryInfo entry = entries.describe(dir);

        assertThat(entry.getType()).isEqualTo(FileType.FILE_TYPE_DIRECTORY);
        assertThat(entry.getMode()).isEqualTo(0755);
        assertThat(entry.getPermissions()).isEqualTo("drwxr-xr-x");
    }

    @Test
    void ownersWithoutAnAccountAreShownAsNumbers() throws Exception {
        Path file = Files.writeString(fs.root.resolve("orphan"), "");
        Files.setAttribute(file, "unix:uid", 4242);
        Files.setAttribute(file, "unix:gid", 4343);

        EntryInfo entry = entries.describe(file);

        assertThat(entry.getOwner()).isEqualTo("4242");
        assertThat(entry.getGroup()).isEqualTo("4343");
    }

    @Test
    void aSymlinkReportsItsTargetsTypeAndModeAndTheResolvedTarget() throws Exception {
        Path target = Files.writeString(fs.root.resolve("target.txt"), "target content");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(fs.root.resolve("link"), Path.of("target.txt"));

        EntryInfo entry = entries.describe(link);

        assertThat(entry.getName()).isEqualTo("link");
        assertThat(entry.getPath()).isEqualTo(link.toString());
        assertThat(entry.getType()).isEqualTo(FileType.FILE_TYPE_FILE);
        assertThat(entry.getMode()).isEqualTo(0600);
        assertThat(entry.getPermissions()).isEqualTo("Lrwxrwxrwx");
        assertThat(entry.getSymlinkTarget()).isEqualTo(target.toString());
    }

    @Test
    void aChainOfSymlinksResolvesToTheFinalDirectory() throws Exception {
        Path target = Files.createDirectory(fs.root.resolve("target"));
        Path link2 = Files.createSymbolicLink(fs.root.resolve("link2"), target);
        Path link1 = Files.createSymbolicLink(fs.root.resolve("link1"), link2);

        EntryInfo entry = entries.describe(link1);

        assertThat(entry.getType()).isEqualTo(FileType.FILE_TYPE_DIRECTORY);
        assertThat(entry.getSymlinkTarget()).isEqualTo(target.toString());
    }

    @Test
    void aBrokenSymlinkIsASymlinkPointingAtItsMissingTarget() throws Exception {
        Path link = Files.createSymbolicLink(fs.root.resolve("broken"), Path.of("nowhere/file"));

        EntryInfo entry = entries.describe(link);

        assertThat(entry.getType()).isEqualTo(FileType.FILE_TYPE_SYMLINK);
        assertThat(entry.getPermissions()).startsWith("L");
        assertThat(entry.getSymlinkTarget())
                .isEqualTo(fs.root.resolve("nowhere/file").toString());
    }

    @Test
    void aMissingPathIsNotFound() {
        Path missing = fs.root.resolve("missing");

        assertThatThrownBy(() -> entries.describe(missing)).isInstanceOfSatisfying(ConnectException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("path " + missing + " does not exist");
        });
    }

    @Test
    void metadataWrittenThroughFileMetadataAppearsInTheEntry() throws Exception {
        Path file = Files.writeString(fs.root.resolve("tagged.txt"), "x");
        FileMetadata.replace(file, Map.of("Project", "wrenn", "stage", "draft"));

        EntryInfo entry = entries.describe(file);

        assertThat(entry.getMetadataMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of("project", "wrenn", "stage", "draft"));
    }
}
