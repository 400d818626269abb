package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandException;
import dev.wrenn.host.sys.CommandResult;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real guest image (Debian kernel, initramfs, root disk with the real guest agent), the one place the host tests
 * build it: once per test run, with images/build.sh into {@code /var/lib/wrenn-test}, after building the guest agent
 * jar when it is missing or older than its sources. The build is cached there, so later runs take seconds. Tests that
 * need a data directory of their own take {@link #dataDirUnder}. A build that cannot run fails the test with the
 * build's own message: this tier is never skipped.
 */
public final class RealImage {
    /**
     * Shared by every checkout on the machine unless {@code WRENN_TEST_DATA_DIR} says otherwise: checkouts testing
     * at the same time must each set their own (and {@code WRENN_TEST_FIRST_SLOT}), since a test's start sweep
     * reclaims every VM of its data directory and slot range.
     */
    public static final Path DATA_DIR = Path.of(env("WRENN_TEST_DATA_DIR", "/var/lib/wrenn-test"));
    /** Slots the real-VM tests use, away from slot 1 where other fixtures and a developer's agent start. */
    public static final SlotRange SLOTS = new SlotRange(Integer.parseInt(env("WRENN_TEST_FIRST_SLOT", "200")), 4);

    private static final Duration BUILD_TIME = Duration.ofMinutes(20);
    private static boolean built;

    private RealImage() {}

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The test data directory with a current image, building the guest agent and the image when needed. */
    public static synchronized DataDir dataDir() {
        HostTier.requireTools();
        // Opt-in (-Dwrenn.test.imageAsIs=true or WRENN_TEST_IMAGE_AS_IS=1), for a busy machine: the data directory's
        // current image is used as it is (its agent may be older than the sources; a full image build can take most
        // of an hour while another checkout holds the machine-wide build lock).
        if (!built
                && (Boolean.getBoolean("wrenn.test.imageAsIs") || "1".equals(System.getenv("WRENN_TEST_IMAGE_AS_IS")))
                && Files.isRegularFile(DATA_DIR.resolve("images/current/rootfs.ext4"))) {
            built = true;
        }
        if (!built) {
            // The launcher's own rule: the guest agent jar when it is older than its sources, then images/build.sh
            // (seconds when nothing changed). The control plane's and the launcher's test fixtures call the same.
            run(
                    "building the guest image into " + DATA_DIR,
                    Command.of("./wrenn", "image", "--data-dir", DATA_DIR.toString())
                            .in(repository()));
            built = true;
        }
        return new DataDir(DATA_DIR);
    }

    /**
     * A data directory under {@code root} whose images are links to the built image's files, so that sandboxes and
     * their overlays live (and are swept) under {@code root}, away from other tests' VMs.
     */
    public static DataDir dataDirUnder(Path root) throws IOException {
        GuestImage image = new ImageStore(dataDir().images()).resolve(ImageStore.BASE);
        DataDir dataDir = new DataDir(root);
        Files.createDirectories(dataDir.images());
        for (Path file : List.of(image.kernel(), image.initramfs(), image.rootfs())) {
            link(dataDir.images().resolve(file.getFileName()), file);
        }
        return dataDir;
    }

    // A hard link keeps the file when a later build (another test's rebuild) prunes the version it came from, which
    // nothing under root protects; across file systems only a symbolic link is possible.
    private static void link(Path link, Path target) throws IOException {
        try {
            Files.createLink(link, target);
        } catch (FileSystemException e) {
            Files.createSymbolicLink(link, target);
        }
    }

    /** Builds the image again although nothing changed ({@code --force}): a new version; returns build.sh's output. */
    public static synchronized String rebuild() {
        dataDir();
        Path repo = repository();
        try {
            return Command.of(
                            "images/build.sh",
                            "--force",
                            "--data-dir",
                            DATA_DIR.toString(),
                            "--agent-jar",
                            repo.resolve("guest-agent/target/wrenn-guest-agent.jar")
                                    .toString())
                    .in(repo)
                    .withTimeout(BUILD_TIME)
                    .run()
                    .stdout();
        } catch (CommandException e) {
            return fail("rebuilding the guest image failed: " + e.getMessage() + stdoutOf(e), e);
        }
    }

    /** The repository root (with the Maven wrapper and images/build.sh): surefire runs tests in the module's directory. */
    public static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("images/build.sh"))) {
                return dir;
            }
        }
        return fail("cannot find the repository root (with mvnw and images/build.sh) above "
                + Path.of("").toAbsolutePath());
    }

    static void run(String what, Command command) {
        try {
            command.withTimeout(BUILD_TIME).run();
        } catch (CommandException e) {
            fail(what + " failed, so the real-VM tests cannot run: " + e.getMessage() + stdoutOf(e), e);
        }
    }

    // Maven reports its errors on stdout, which the exception's message (stderr only) leaves out.
    private static String stdoutOf(CommandException e) {
        CommandResult result = e.result();
        return result == null || result.stdout().isBlank() ? "" : "\noutput:\n" + result.stdout();
    }
}
