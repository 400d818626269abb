package dev.wrenn.host.oci;

import static dev.wrenn.host.oci.TestImages.dir;
import static dev.wrenn.host.oci.TestImages.file;
import static dev.wrenn.host.oci.TestImages.hardlink;
import static dev.wrenn.host.oci.TestImages.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers applied onto a tree: whiteouts, links, metadata, and hostile archives that try to leave the root. */
class LayerApplierTest {
    @TempDir
    Path work;

    private Path root() throws Exception {
        return Files.createDirectories(work.resolve("root"));
    }

    @Test
    void whiteoutsRemoveWhatLowerLayersMadeAndOpaqueDirectoriesKeepOnlyTheirOwnLayersFiles() throws Exception {
        Path root = root();
        var lower = TestImages.layer(work.resolve("l1.tar.gz"), true, tar -> {
            dir(tar, "a");
            file(tar, "a/x", "x");
            file(tar, "a/y", "y");
            file(tar, "b", "b");
            dir(tar, "c");
            file(tar, "c/old", "old");
            dir(tar, "c/sub");
            file(tar, "c/sub/deep", "deep");
        });
        var upper = TestImages.layer(work.resolve("l2.tar"), false, tar -> {
            file(tar, "a/.wh.x", "");
            file(tar, ".wh.b", "");
            file(tar, "c/before-marker", "kept"); // same layer as the marker: not hidden by it
            file(tar, "c/.wh..wh..opq", "");
            file(tar, "c/after-marker", "new");
            file(tar, ".wh.does-not-exist", "");
        });
        LayerApplier applier = new LayerApplier(root, 1 << 20, 1000);
        applier.apply(lower.file(), "lower");
        applier.apply(upper.file(), "upper");

        assertThat(root.resolve("a/x")).doesNotExist();
        assertThat(root.resolve("a/y")).hasContent("y");
        assertThat(root.resolve("b")).doesNotExist();
        assertThat(root.resolve("c/old")).doesNotExist();
        assertThat(root.resolve("c/sub")).doesNotExist();
        assertThat(root.resolve("c/before-marker")).hasContent("kept");
        assertThat(root.resolve("c/after-marker")).hasContent("new");
        assertThat(root.resolve(".wh.b")).doesNotExist();
        assertThat(root.resolve("c/.wh..wh..opq")).doesNotExist();
    }

    @Test
    void ownersModesSetuidSymlinksHardLinksAndXattrsAreKept() throws Exception {
        Path root = root();
        var layer = TestImages.layer(work.resolve("l.tar"), false, tar -> {
            file(tar, "usr/bin/tool", "#!/bin/sh\n", 0, 04755);
            file(tar, "home/u/notes", "n", 1234, 0600);
            symlink(tar, "usr/bin/alias", "tool");
            hardlink(tar, "usr/bin/tool2", "usr/bin/tool");
            TarArchiveEntry withXattr = new TarArchiveEntry("etc/attr");
            withXattr.setSize(1);
            withXattr.setMode(0644);
            withXattr.addPaxHeader("SCHILY.xattr.user.wrenn", "hello");
            tar.putArchiveEntry(withXattr);
            tar.write('a');
            tar.closeArchiveEntry();
        });
        new LayerApplier(root, 1 << 20, 1000).apply(layer.file(), "l");

        assertThat((int) Files.getAttribute(root.resolve("usr/bin/tool"), "unix:mode") & 07777)
                .isEqualTo(04755);
        assertThat(Files.getAttribute(root.resolve("home/u/notes"), "unix:uid")).isEqualTo(1234);
        assertThat((int) Files.getAttribute(root.resolve("home/u/notes"), "unix:mode") & 07777)
                .isEqualTo(0600);
        assertThat(Files.readSymbolicLink(root.resolve("usr/bin/alias")).toString())
                .isEqualTo("tool");
        assertThat(Files.getAttribute(root.resolve("usr/bin/tool2"), "unix:ino"))
                .isEqualTo(Files.getAttribute(root.resolve("usr/bin/tool"), "unix:ino"));
        var view = Files.getFileAttributeView(root.resolve("etc/attr"), UserDefinedFileAttributeView.class);
        ByteBuffer value = ByteBuffer.allocate(16);
        view.read("wrenn", value);
        assertThat(new String(value.array(), 0, value.position(), StandardCharsets.UTF_8))
                .isEqualTo("hello");
    }

    @Test
    void dotDotNamesAndHardLinksAreRefused() throws Exception {
        Path root = root();
        var escape = TestImages.layer(work.resolve("e.tar"), false, tar -> file(tar, "../escaped", "x"));
        assertThatThrownBy(() -> new LayerApplier(root, 1 << 20, 1000).apply(escape.file(), "e"))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("`..`");
        assertThat(work.resolve("escaped")).doesNotExist();

        var link = TestImages.layer(work.resolve("h.tar"), false, tar -> hardlink(tar, "stolen", "../../etc/passwd"));
        assertThatThrownBy(() -> new LayerApplier(root, 1 << 20, 1000).apply(link.file(), "h"))
                .isInstanceOf(HostAgentException.class);
        assertThat(root.resolve("stolen")).doesNotExist();

        // An absolute hard-link target is the image's own path, which does not exist here: refused, not the host's.
        var absolute = TestImages.layer(work.resolve("a.tar"), false, tar -> hardlink(tar, "shadow", "/etc/hostname"));
        assertThatThrownBy(() -> new LayerApplier(root, 1 << 20, 1000).apply(absolute.file(), "a"))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("not a file of the image");
    }

    @Test
    void symlinksOnTheWayAreResolvedInsideTheRootNeverOutside() throws Exception {
        Path root = root();
        Path outside = Files.createDirectories(work.resolve("outside"));
        var first = TestImages.layer(work.resolve("1.tar"), false, tar -> {
            symlink(tar, "abs", outside.toString()); // absolute: means <root>/<that path>
            symlink(tar, "up", "../../../../../../.." + outside); // .. stops at the root
            symlink(tar, "lib", "usr/lib"); // the merged-usr case a later layer writes through
            dir(tar, "usr/lib");
        });
        var second = TestImages.layer(work.resolve("2.tar"), false, tar -> {
            file(tar, "abs/via-absolute", "a");
            file(tar, "up/via-dotdot", "b");
            file(tar, "lib/libx.so", "c");
            file(tar, "abs/.wh.never", "");
        });
        LayerApplier applier = new LayerApplier(root, 1 << 20, 1000);
        applier.apply(first.file(), "1");
        applier.apply(second.file(), "2");

        try (var listing = Files.list(outside)) {
            assertThat(listing.toList())
                    .as("nothing was written outside the root")
                    .isEmpty();
        }
        Path inside = root.resolve(outside.toString().substring(1));
        assertThat(inside.resolve("via-absolute")).hasContent("a");
        assertThat(inside.resolve("via-dotdot")).hasContent("b");
        assertThat(root.resolve("usr/lib/libx.so")).hasContent("c");
        assertThat(Files.isSymbolicLink(root.resolve("lib"))).isTrue();
    }

    @Test
    void aFileReplacesASymlinkInsteadOfWritingThroughIt() throws Exception {
        Path root = root();
        Path victim = Files.writeString(work.resolve("victim"), "original");
        var layer = TestImages.layer(work.resolve("s.tar"), false, tar -> {
            symlink(tar, "target", victim.toString());
            file(tar, "target", "overwritten?");
        });
        new LayerApplier(root, 1 << 20, 1000).apply(layer.file(), "s");

        assertThat(victim).hasContent("original");
        assertThat(Files.isSymbolicLink(root.resolve("target"))).isFalse();
        assertThat(root.resolve("target")).hasContent("overwritten?");
    }

    @Test
    void sizeAndEntryCapsStopAnImageThatUnpacksTooLarge() throws Exception {
        var big = TestImages.layer(work.resolve("big.tar.gz"), true, tar -> file(tar, "zeros", "0".repeat(100_000)));
        assertThatThrownBy(() -> new LayerApplier(root(), 50_000, 1000).apply(big.file(), "big"))
                .isInstanceOf(HostAgentException.class)
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        var many = TestImages.layer(work.resolve("many.tar"), false, tar -> {
            for (int i = 0; i < 20; i++) {
                file(tar, "f" + i, "");
            }
        });
        Path other = Files.createDirectories(work.resolve("other"));
        assertThatThrownBy(() -> new LayerApplier(other, 1 << 20, 10).apply(many.file(), "many"))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("more than 10 files");
    }

    @Test
    void notATarIsAClearError() throws Exception {
        Path junk = Files.write(work.resolve("junk"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertThatThrownBy(() -> new LayerApplier(root(), 1 << 20, 10).apply(junk, "junk"))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("layer junk");
        assertThat(Files.exists(work.resolve("root"), LinkOption.NOFOLLOW_LINKS))
                .isTrue();
    }
}
