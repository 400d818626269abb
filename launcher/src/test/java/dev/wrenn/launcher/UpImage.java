package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.sys.Privileges;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data directory the in-process {@code wrenn up} tests run on ({@code WRENN_TEST_UP_DATA_DIR}, default
 * {@code /var/lib/wrenn-test-up}: their sandboxes, templates and database), with the guest image the other modules'
 * tests use ({@link SharedImage}) linked in, so these tests never build an image of their own. The links follow
 * images/build.sh's layout: {@code images/<version>/} behind the {@code current} symlink, because the agent names its
 * base templates after the version and their disks name the versioned files. Never skipped: without root or the image
 * tools the test fails saying so. {@code WRENN_TEST_UP_DATA_DIR} and {@code WRENN_TEST_UP_FIRST_SLOT} keep concurrent
 * checkouts apart.
 */
final class UpImage {
    static final Path DATA_DIR = Path.of(env("WRENN_TEST_UP_DATA_DIR", "/var/lib/wrenn-test-up"));
    /** Away from the host tests' slots (from 200) and from build/up-fixture.sh's (from 400). */
    static final String FIRST_SLOT = env("WRENN_TEST_UP_FIRST_SLOT", "300");

    /** A qcow2 disk names its backing file in its header, within the first 64 KiB (as images/build.sh reads it). */
    private static final int QCOW2_HEADER_BYTES = 65536;

    private static boolean linked;

    private UpImage() {}

    static synchronized Path dataDir() {
        if (!Privileges.isRoot()) {
            fail("the wrenn up tests boot VMs and must run as root");
        }
        if (!linked) {
            Path images = DATA_DIR.resolve("images");
            Path built = SharedImage.currentVersion(repository());
            try {
                String version = linkVersion(built, images);
                switchCurrent(images, version);
                pruneUnusedVersions(images, version);
            } catch (IOException e) {
                fail("linking the guest image " + built + " into " + images + " failed: " + e.getMessage(), e);
            }
            linked = true;
        }
        return DATA_DIR;
    }

    /**
     * {@code images/<version>} with links to the built version's files, made under another name and renamed whole. An
     * existing one is kept: build.sh names a version after the digest of its inputs, so it holds the same image.
     */
    private static String linkVersion(Path built, Path images) throws IOException {
        String version = built.getFileName().toString();
        if (Files.isDirectory(images.resolve(version))) {
            return version;
        }
        Path partial = images.resolve(".linking-" + version);
        deleteTree(partial);
        Files.createDirectories(partial);
        try (Stream<Path> files = Files.list(built)) {
            for (Path file : files.toList()) {
                link(partial.resolve(file.getFileName()), file);
            }
        }
        Files.move(partial, images.resolve(version), StandardCopyOption.ATOMIC_MOVE);
        return version;
    }

    // A hard link keeps the file when a later build of the shared image prunes the version it came from, which
    // nothing in this data directory protects; across file systems only a symbolic link is possible.
    private static void link(Path link, Path target) throws IOException {
        try {
            Files.createLink(link, target);
        } catch (FileSystemException e) {
            Files.createSymbolicLink(link, target);
        }
    }

    /** Points {@code images/current} at the version with one rename, as build.sh does. */
    private static void switchCurrent(Path images, String version) throws IOException {
        Path next = images.resolve(".current.new");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, Path.of(version));
        Files.move(next, images.resolve(ImageStore.CURRENT), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Other versions go once no disk in this data directory (a template's, a sandbox's) is backed by them. */
    private static void pruneUnusedVersions(Path images, String keep) throws IOException {
        List<Path> disks = disks();
        try (Stream<Path> entries = Files.list(images)) {
            for (Path dir : entries.toList()) {
                String name = dir.getFileName().toString();
                boolean version = Files.isDirectory(dir) && !Files.isSymbolicLink(dir) && !name.startsWith(".");
                if (version && !name.equals(keep) && !backsAny(dir.toRealPath(), disks)) {
                    deleteTree(dir);
                }
            }
        }
    }

    private static List<Path> disks() throws IOException {
        Path images = DATA_DIR.resolve("images");
        Path cache = DATA_DIR.resolve("cache");
        try (Stream<Path> files = Files.walk(DATA_DIR)) {
            return files.filter(file -> !file.startsWith(images) && !file.startsWith(cache))
                    .filter(file -> file.getFileName().toString().endsWith(".qcow2") && Files.isRegularFile(file))
                    .toList();
        }
    }

    private static boolean backsAny(Path versionDir, List<Path> disks) throws IOException {
        String prefix = versionDir + "/";
        for (Path disk : disks) {
            try (InputStream in = Files.newInputStream(disk)) {
                String header = new String(in.readNBytes(QCOW2_HEADER_BYTES), StandardCharsets.ISO_8859_1);
                if (header.contains(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("wrenn"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("the repository root (with the wrenn script) is not above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
