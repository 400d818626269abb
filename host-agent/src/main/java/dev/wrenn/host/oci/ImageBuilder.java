package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.sys.Command;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Turns an image reference into a bootable {@link PreparedImage} under {@code <data>/oci/images/<template id>/}:
 * pull (verified, cached by digest), apply the layers into {@code <data>/oci/work/<id>/}, add Wrenn's agent tree,
 * {@code /sbin/wrenn-init} and the account {@code user}, make the ext4 disk, and link the base image's kernel and
 * initramfs beside it. {@code e2bdev/base} is Wrenn's own base image: nothing is pulled or made.
 *
 * <p>The image directory lives as long as the template made from it (its disk overlay is backed by this rootfs);
 * {@link #discard} removes it with the template and {@link #sweep} removes those of templates that were never
 * published (a build cut off by a crash).
 */
public final class ImageBuilder {
    /** What the E2B SDK's fromBaseImage() asks for. */
    public static final String E2B_BASE = "e2bdev/base";

    /** The unpacked tree of one image, at most (files; the disk adds room on top). */
    static final long MAX_TREE_BYTES = 64L << 30;

    static final long MAX_ENTRIES = 2_000_000;
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path root;
    private final ImagePuller puller;
    private final AgentTree agentTree;

    /** @param root {@code <data>/oci} */
    public ImageBuilder(Path root, RegistryMirrors mirrors) {
        this(root, mirrors, RegistryClient.newHttpClient());
    }

    ImageBuilder(Path root, RegistryMirrors mirrors, HttpClient http) {
        this.root = root.toAbsolutePath().normalize();
        this.puller = new ImagePuller(
                http, mirrors, new BlobCache(this.root.resolve("blobs").resolve("sha256")));
        this.agentTree = new AgentTree(this.root.resolve("agent"));
    }

    /** {@code e2bdev/base}, with or without {@code docker.io/}, tag {@code latest} or none. */
    public static boolean isWrennBase(String image) {
        String name = image.strip();
        if (name.startsWith(ImageReference.DOCKER_HUB + "/")) {
            name = name.substring(ImageReference.DOCKER_HUB.length() + 1);
        }
        return name.equals(E2B_BASE) || name.equals(E2B_BASE + ":latest");
    }

    /** The config reported for Wrenn's base image: commands run as {@code user} in its home, as in E2B's base. */
    public static ImageConfig baseConfig() {
        return new ImageConfig(
                Map.of("PATH", DEFAULT_PATH), "/home/user", "user", List.of(), List.of(), "linux", "amd64");
    }

    public Path imageDir(String templateId) {
        return root.resolve("images").resolve(templateId);
    }

    /**
     * Pulls {@code image} and makes its disk. Fails with INVALID_ARGUMENT (bad reference, disk size), NOT_FOUND,
     * PERMISSION_DENIED (credentials), FAILED_PRECONDITION (not amd64, bad layers), RESOURCE_EXHAUSTED (size caps,
     * disk space) or UNAVAILABLE (registry unreachable, cancelled); whatever it made is removed then.
     */
    public PreparedImage prepare(
            String templateId,
            GuestImage base,
            String image,
            String username,
            String password,
            long diskSizeMb,
            BuildLog log,
            Cancellation cancellation) {
        ImageReference ref = ImageReference.parse(image);
        Path work = root.resolve("work").resolve(templateId);
        Path out = imageDir(templateId);
        boolean done = false;
        try {
            LayerApplier.deleteTree(work);
            LayerApplier.deleteTree(out);
            Files.createDirectories(work);
            PulledImage pulled = puller.pull(ref, username, password, log, cancellation);
            Path agent = agentTree.ensure(base, log);
            cancellation.check();
            Path tree = Files.createDirectory(work.resolve("rootfs"));
            Files.setAttribute(tree, "unix:mode", 0755);
            LayerApplier applier = new LayerApplier(tree, MAX_TREE_BYTES, MAX_ENTRIES);
            for (int i = 0; i < pulled.layerFiles().size(); i++) {
                cancellation.check();
                applier.apply(pulled.layerFiles().get(i), pulled.layers().get(i).digest());
            }
            log.info("unpacked %d layers: %s of files%s"
                    .formatted(
                            pulled.layerFiles().size(),
                            ImagePuller.mib(applier.bytesWritten()),
                            applier.skippedDevices() > 0
                                    ? ", %d device nodes skipped".formatted(applier.skippedDevices())
                                    : ""));
            if (applier.skippedXattrs() > 0) {
                log.warn("%d extended attributes could not be kept".formatted(applier.skippedXattrs()));
            }
            addWrenn(tree, applier, agent);
            log.info(UserAccount.ensure(tree, applier));
            cancellation.check();
            Files.createDirectories(out);
            long sizeMb = RootDisk.sizeMb(diskSizeMb, du(tree));
            log.info("making the %d MiB root disk (mkfs.ext4 -d)".formatted(sizeMb));
            RootDisk.make(tree, out.resolve(GuestImage.ROOTFS), sizeMb);
            link(base.kernel(), out.resolve(GuestImage.KERNEL));
            link(base.initramfs(), out.resolve(GuestImage.INITRAMFS));
            done = true;
            return new PreparedImage(new GuestImage(templateId, out), pulled.config(), pulled.digest());
        } catch (IOException e) {
            cancellation.check();
            throw new HostAgentException(ErrorCode.INTERNAL, "building the disk of %s: %s".formatted(ref, e), e);
        } finally {
            deleteQuietly(work);
            if (!done) {
                deleteQuietly(out);
            }
        }
    }

    /** Wrenn's tree: /opt/wrenn replaced by the agent's, /sbin/wrenn-init, and the mount points the initramfs needs. */
    private static void addWrenn(Path tree, LayerApplier paths, Path agent) throws IOException {
        Path opt = paths.directory("opt");
        LayerApplier.deleteTree(opt.resolve("wrenn"));
        Command.of("cp", "-a", agent.resolve("opt").resolve("wrenn").toString(), opt.toString())
                .withTimeout(Duration.ofMinutes(5))
                .run();
        Path init = paths.directory("sbin").resolve("wrenn-init");
        LayerApplier.deleteTree(init);
        Files.copy(agent.resolve("wrenn-init"), init);
        Files.setAttribute(init, "unix:mode", 0755);
        // The guest agent switches users with util-linux setpriv, looked for in these places; Alpine has none.
        boolean hasSetpriv = false;
        for (String dir : List.of("usr/bin", "bin", "usr/sbin", "sbin")) {
            hasSetpriv |= Files.exists(paths.directory(dir).resolve("setpriv"), LinkOption.NOFOLLOW_LINKS);
        }
        if (!hasSetpriv) {
            Files.createSymbolicLink(paths.directory("usr/bin").resolve("setpriv"), Path.of("/opt/wrenn/bin/setpriv"));
        }
        for (String dir : List.of("dev", "proc", "sys", "tmp", "run", "root", "var/log/wrenn")) {
            paths.directory(dir);
        }
        Files.setAttribute(paths.directory("tmp"), "unix:mode", 01777);
    }

    private static long du(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
    }

    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to); // another file system
        }
    }

    /** Removes the image directory of a template (deleted, or never published). */
    public void discard(String templateId) {
        deleteQuietly(imageDir(templateId));
        deleteQuietly(root.resolve("work").resolve(templateId));
    }

    /** At start: work directories, and image directories whose template does not exist. */
    public void sweep(Predicate<String> templateExists) {
        deleteQuietly(root.resolve("work"));
        Path images = root.resolve("images");
        if (!Files.isDirectory(images)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(images)) {
            for (Path dir : dirs.toList()) {
                if (!templateExists.test(dir.getFileName().toString())) {
                    deleteQuietly(dir);
                }
            }
        } catch (IOException ignored) {
            // tried again at the next start
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            LayerApplier.deleteTree(path);
        } catch (IOException ignored) {
            // swept at the next start
        }
    }
}
