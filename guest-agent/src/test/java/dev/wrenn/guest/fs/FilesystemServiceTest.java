package dev.wrenn.guest.fs;

import static dev.wrenn.guest.fs.ConnectErrors.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.connect.Code;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import dev.wrenn.protocol.envd.filesystem.FileType;
import dev.wrenn.protocol.envd.filesystem.ListDirRequest;
import dev.wrenn.protocol.envd.filesystem.ListDirResponse;
import dev.wrenn.protocol.envd.filesystem.MakeDirRequest;
import dev.wrenn.protocol.envd.filesystem.MakeDirResponse;
import dev.wrenn.protocol.envd.filesystem.MoveRequest;
import dev.wrenn.protocol.envd.filesystem.MoveResponse;
import dev.wrenn.protocol.envd.filesystem.RemoveRequest;
import dev.wrenn.protocol.envd.filesystem.StatRequest;
import dev.wrenn.protocol.envd.filesystem.StatResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemServiceTest {
    @TempDir
    Path tempDir;

    private FsFixture fs;

    @BeforeEach
    void setUp() throws Exception {
        fs = new FsFixture(tempDir);
    }

    private EntryInfo stat(String path, String user) {
        StatResponse response =
                fs.call("Stat", StatRequest.newBuilder().setPath(path).build(), FsFixture.as(user));
        return response.getEntry();
    }

    @Test
    void statOfARelativePathLooksInTheCallersHome() throws Exception {
        Files.writeString(fs.aliceHome.resolve("notes.txt"), "hi");

        EntryInfo entry = stat("notes.txt", "alice");

        assertThat(entry.getPath()).isEqualTo(fs.aliceHome.resolve("notes.txt").toString());
        assertThat(entry.getSize()).isEqualTo(2);
    }

    @Test
    void statWithoutAuthorizationActsAsTheDefaultUser() throws Exception {
        Path file = Files.writeString(fs.root.resolve("f"), "");

        StatResponse response = fs.call(
                "Stat", StatRequest.newBuilder().setPath(file.toString()).build(), new FakeCallContext());

        assertThat(response.getEntry().getName()).isEqualTo("f");
    }

    @Test
    void statOfAMissingPathIsNotFound() {
        assertFailsWith(Code.NOT_FOUND, () -> stat(fs.root.resolve("missing").toString(), "alice"));
    }

    @Test
    void anUnknownUserIsUnauthenticated() {
        assertFailsWith(Code.UNAUTHENTICATED, () -> stat(fs.root.toString(), "mallory"));
    }

    @Test
    void makeDirCreatesParentsOwnedByTheCallerWithMode755() throws Exception {
        Path dir = fs.aliceHome.resolve("a/b/c");

        MakeDirResponse response =
                fs.call("MakeDir", MakeDirRequest.newBuilder().setPath("a/b/c").build(), FsFixture.as("alice"));

        assertThat(response.getEntry().getPath()).isEqualTo(dir.toString());
        assertThat(response.getEntry().getType()).isEqualTo(FileType.FILE_TYPE_DIRECTORY);
        assertThat(response.getEntry().getPermissions()).isEqualTo("drwxr-xr-x");
        for (Path created : new Path[] {dir, dir.getParent(), dir.getParent().getParent()}) {
            assertThat(Files.getAttribute(created, "unix:uid")).isEqualTo(FsFixture.ALICE_UID);
            assertThat(Files.getAttribute(created, "unix:gid")).isEqualTo(FsFixture.ALICE_UID);
        }
        assertThat(response.getEntry().getOwner()).isEqualTo("alice");
    }

    @Test
    void makeDirOfAnExistingDirectoryIsAlreadyExists() throws Exception {
        Files.createDirectory(fs.root.resolve("there"));
        MakeDirRequest request = MakeDirRequest.newBuilder()
                .setPath(fs.root.resolve("there").toString())
                .build();

        assertFailsWith(Code.ALREADY_EXISTS, () -> fs.call("MakeDir", request, FsFixture.as("alice")));
    }

    @Test
    void makeDirBelowAFileIsAnInvalidArgument() throws Exception {
        Files.writeString(fs.root.resolve("file"), "");
        MakeDirRequest request = MakeDirRequest.newBuilder()
                .setPath(fs.root.resolve("file/sub").toString())
                .build();

        assertFailsWith(Code.INVALID_ARGUMENT, () -> fs.call("MakeDir", request, FsFixture.as("alice")));
    }

    @Test
    void moveRenamesIntoNewParentsAndReturnsTheDestination() throws Exception {
        Files.writeString(fs.aliceHome.resolve("draft.txt"), "text");

        MoveResponse response = fs.call(
                "Move",
                MoveRequest.newBuilder()
                        .setSource("draft.txt")
                        .setDestination("archive/2024/final.txt")
                        .build(),
                FsFixture.as("alice"));

        Path destination = fs.aliceHome.resolve("archive/2024/final.txt");
        assertThat(response.getEntry().getPath()).isEqualTo(destination.toString());
        assertThat(response.getEntry().getName()).isEqualTo("final.txt");
        assertThat(destination).hasContent("text");
        assertThat(fs.aliceHome.resolve("draft.txt")).doesNotExist();
        assertThat(Files.getAttribute(destination.getParent(), "unix:uid")).isEqualTo(FsFixture.ALICE_UID);
    }

    @Test
    void moveReplacesAnExistingFileLikeRename() throws Exception {
        Files.writeString(fs.root.resolve("new"), "new");
        Files.writeString(fs.root.resolve("old"), "old");

        fs.call(
                "Move",
                MoveRequest.newBuilder()
                        .setSource(fs.root.resolve("new").toString())
                        .setDestination(fs.root.resolve("old").toString())
                        .build(),
                FsFixture.as("alice"));

        assertThat(fs.root.resolve("old")).hasContent("new");
    }

    @Test
    void moveOfAMissingSourceIsNotFound() {
        MoveRequest request = MoveRequest.newBuilder()
                .setSource(fs.root.resolve("missing").toString())
                .setDestination(fs.root.resolve("x").toString())
                .build();

        assertFailsWith(Code.NOT_FOUND, () -> fs.call("Move", request, FsFixture.as("alice")));
    }

    @Test
    void removeDeletesAWholeTree() throws Exception {
        Files.createDirectories(fs.root.resolve("tree/a/b"));
        Files.writeString(fs.root.resolve("tree/a/b/f.txt"), "x");

        fs.call(
                "Remove",
                RemoveRequest.newBuilder()
                        .setPath(fs.root.resolve("tree").toString())
                        .build(),
                FsFixture.as("alice"));

        assertThat(fs.root.resolve("tree")).doesNotExist();
    }

    @Test
    void removingASymlinkToADirectoryKeepsTheDirectory() throws Exception {
        Path dir = Files.createDirectory(fs.root.resolve("kept"));
        Files.writeString(dir.resolve("inside.txt"), "x");
        Path link = Files.createSymbolicLink(fs.root.resolve("link"), dir);

        fs.call("Remove", RemoveRequest.newBuilder().setPath(link.toString()).build(), FsFixture.as("alice"));

        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(dir.resolve("inside.txt")).exists();
    }

    @Test
    void removingAMissingPathSucceeds() {
        RemoveRequest request = RemoveRequest.newBuilder()
                .setPath(fs.root.resolve("missing").toString())
                .build();

        Object response = fs.call("Remove", request, FsFixture.as("alice"));

        assertThat(response).isNotNull();
    }

    private ListDirResponse list(Path dir, int depth) {
        ListDirRequest request = ListDirRequest.newBuilder()
                .setPath(dir.toString())
                .setDepth(depth)
                .build();
        return fs.call("ListDir", request, FsFixture.as("alice"));
    }

    private Path listingTree() throws Exception {
        Path top = Files.createDirectory(fs.root.resolve("top"));
        Files.createDirectories(top.resolve("b/y/deep"));
        Files.createDirectories(top.resolve("a/x/deeper"));
        Files.writeString(top.resolve("a/x/deeper/leaf.txt"), "");
        Files.writeString(top.resolve("a/y.txt"), "");
        Files.writeString(top.resolve("b/y/deep/z.txt"), "");
        Files.writeString(top.resolve("c.txt"), "");
        return top;
    }

    private static java.util.List<String> relativePaths(Path top, ListDirResponse response) {
        return response.getEntriesList().stream()
                .map(e -> top.relativize(Path.of(e.getPath())).toString())
                .toList();
    }

    @Test
    void listDirAtDepthOneListsDirectChildrenInNameOrder() throws Exception {
        Path top = listingTree();

        assertThat(relativePaths(top, list(top, 1))).containsExactly("a", "b", "c.txt");
    }

    @Test
    void listDirWithDepthZeroMeansDepthOne() throws Exception {
        Path top = listingTree();

        assertThat(relativePaths(top, list(top, 0))).containsExactly("a", "b", "c.txt");
    }

    @Test
    void listDirAtDepthTwoPutsEachDirectorysChildrenRightAfterIt() throws Exception {
        Path top = listingTree();

        assertThat(relativePaths(top, list(top, 2))).containsExactly("a", "a/x", "a/y.txt", "b", "b/y", "c.txt");
    }

    @Test
    void listDirAtDepthThreeWalksDepthFirst() throws Exception {
        Path top = listingTree();

        assertThat(relativePaths(top, list(top, 3)))
                .containsExactly("a", "a/x", "a/x/deeper", "a/y.txt", "b", "b/y", "b/y/deep", "c.txt");
    }

    @Test
    void listDirDoesNotDescendIntoSymlinkedDirectories() throws Exception {
        Path top = Files.createDirectory(fs.root.resolve("top"));
        Path elsewhere = Files.createDirectory(fs.root.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("hidden.txt"), "");
        Files.createSymbolicLink(top.resolve("link"), elsewhere);

        ListDirResponse response = list(top, 3);

        assertThat(relativePaths(top, response)).containsExactly("link");
        assertThat(response.getEntries(0).getType()).isEqualTo(FileType.FILE_TYPE_DIRECTORY);
    }

    @Test
    void listDirOfAFileIsAnInvalidArgument() throws Exception {
        Path file = Files.writeString(fs.root.resolve("file.txt"), "");

        assertFailsWith(Code.INVALID_ARGUMENT, () -> list(file, 1));
    }

    @Test
    void listDirOfAMissingPathIsNotFound() {
        assertFailsWith(Code.NOT_FOUND, () -> list(fs.root.resolve("missing"), 1));
    }
}
