package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.sys.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;

/**
 * What makes any image bootable by Wrenn, taken from the current base image (images/build.sh) once per image version
 * into {@code <data>/oci/agent/<version>/}: {@code opt/wrenn} (the guest agent, its jlink-ed runtime, jvm.options and
 * AOT cache, read out of rootfs.ext4 with {@code debugfs}, no mount), the glibc loader and the libraries the
 * runtime needs ({@code opt/wrenn/glibc}), tini-static and the initramfs's static busybox ({@code opt/wrenn/bin}),
 * and the init scripts of this package. The tree does not depend on the image's libc or tools, so Alpine (musl) or
 * an image without a shell boots the same way.
 */
final class AgentTree {
    /** The runtime's libraries outside itself (ldd of the jlink-ed JRE), found in Debian's multiarch directory. */
    static final List<String> GLIBC = List.of(
            "ld-linux-x86-64.so.2",
            "libc.so.6",
            "libm.so.6",
            "libdl.so.2",
            "libpthread.so.0",
            "librt.so.1",
            "libz.so.1",
            "libgcc_s.so.1",
            "libcap-ng.so.0"); // setpriv's, for images without one

    /** Bump when what the tree holds changes: trees of older revisions are made again. */
    static final int REVISION = 2;

    private static final String MULTIARCH = "/usr/lib/x86_64-linux-gnu/";
    private static final Pattern FAST_LINK = Pattern.compile("Fast link dest: \"([^\"]+)\"");
    private static final Duration DEBUGFS_TIMEOUT = Duration.ofMinutes(5);

    private final Path cacheDir;

    /** @param cacheDir {@code <data>/oci/agent} */
    AgentTree(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The tree for this base image, made now if missing; its {@code opt/wrenn} and {@code wrenn-init}. */
    synchronized Path ensure(GuestImage base, BuildLog log) {
        Path dir = cacheDir.resolve(key(base));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        log.info("extracting the guest agent and its runtime from the base image "
                + base.dir().getFileName());
        Path tmp = cacheDir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            Path opt = Files.createDirectories(tmp.resolve("opt"));
            debugfs(base.rootfs(), "rdump /opt/wrenn " + opt);
            Path wrenn = opt.resolve("wrenn");
            for (String required : List.of("jre/bin/java", "guest-agent.jar", "jvm.options")) {
                if (!Files.exists(wrenn.resolve(required))) {
                    throw new HostAgentException(
                            ErrorCode.FAILED_PRECONDITION,
                            "the base image %s has no /opt/wrenn/%s; rebuild it with images/build.sh"
                                    .formatted(base.rootfs(), required));
                }
            }
            Path glibc = Files.createDirectories(wrenn.resolve("glibc"));
            for (String lib : GLIBC) {
                dumpFollowing(base.rootfs(), MULTIARCH + lib, glibc.resolve(lib));
            }
            Path bin = Files.createDirectories(wrenn.resolve("bin"));
            dumpFollowing(base.rootfs(), "/usr/bin/tini-static", bin.resolve("tini"));
            Path libexec = Files.createDirectories(wrenn.resolve("libexec"));
            dumpFollowing(base.rootfs(), "/usr/bin/setpriv", libexec.resolve("setpriv"));
            resource("setpriv", bin.resolve("setpriv"), "rwxr-xr-x");
            extractBusybox(base.initramfs(), bin.resolve("busybox"));
            resource("wrenn-supervise", wrenn.resolve("wrenn-supervise"), "rw-r--r--");
            resource("wrenn-init", tmp.resolve("wrenn-init"), "rwxr-xr-x");
            for (Path file :
                    List.of(bin.resolve("tini"), bin.resolve("busybox"), glibc.resolve("ld-linux-x86-64.so.2"))) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "extracting the agent tree from %s: %s".formatted(base.dir(), e.getMessage()),
                    e);
        } finally {
            try {
                LayerApplier.deleteTree(tmp);
            } catch (IOException ignored) {
                // swept at the next start
            }
        }
    }

    /** The image version's directory name, and the root disk's size and time: a replaced disk gets a new tree. */
    private static String key(GuestImage base) {
        try {
            long stamp = Files.getLastModifiedTime(base.rootfs()).toMillis() ^ Files.size(base.rootfs());
            return base.dir().getFileName() + "-" + Long.toHexString(stamp) + "-r" + REVISION;
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION, "the base image's disk %s: %s".formatted(base.rootfs(), e), e);
        }
    }

    /** {@code debugfs dump} of one file, following symlinks within the image (Debian links libz.so.1 to its version). */
    private static void dumpFollowing(Path rootfs, String path, Path target) throws IOException {
        String current = path;
        for (int hop = 0; hop < 8; hop++) {
            String stat = debugfs(rootfs, "stat " + current);
            if (stat.contains("Type: symlink")) {
                Matcher m = FAST_LINK.matcher(stat);
                if (!m.find()) {
                    break;
                }
                String link = m.group(1);
                current = link.startsWith("/") ? link : current.substring(0, current.lastIndexOf('/') + 1) + link;
                continue;
            }
            debugfs(rootfs, "dump -p " + current + " " + target);
            if (Files.isRegularFile(target) && Files.size(target) > 0) {
                return;
            }
            break;
        }
        throw new HostAgentException(
                ErrorCode.FAILED_PRECONDITION,
                "the base image %s has no usable %s; rebuild it with images/build.sh".formatted(rootfs, path));
    }

    private static String debugfs(Path rootfs, String request) {
        var result = Command.of("debugfs", "-R", request, rootfs.toString())
                .withTimeout(DEBUGFS_TIMEOUT)
                .run();
        return result.stdout() + result.stderr();
    }

    private static void extractBusybox(Path initramfs, Path target) throws IOException {
        try (InputStream gz = new GZIPInputStream(Files.newInputStream(initramfs), 1 << 16);
                CpioArchiveInputStream cpio = new CpioArchiveInputStream(gz)) {
            CpioArchiveEntry entry;
            while ((entry = cpio.getNextEntry()) != null) {
                String name = entry.getName().replaceFirst("^\\./", "");
                if (name.equals("bin/busybox") && entry.isRegularFile()) {
                    try (OutputStream out = Files.newOutputStream(target)) {
                        cpio.transferTo(out);
                    }
                    return;
                }
            }
        }
        throw new HostAgentException(
                ErrorCode.FAILED_PRECONDITION, "the base image's initramfs %s has no bin/busybox".formatted(initramfs));
    }

    private static void resource(String name, Path target, String mode) throws IOException {
        try (InputStream in = AgentTree.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the host agent");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
    }
}
