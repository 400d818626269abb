package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.sandbox.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real guest image (Debian root disk, jlink-ed JRE, Wrenn's guest agent) for tests that need the real guest
 * agent. The first use in a JVM builds the guest agent jar when it is missing or older than its sources, then runs
 * images/build.sh, which returns in seconds when nothing changed. Any failure fails the test with the build's
 * output: this tier is never skipped.
 *
 * <p>Image directory: {@code -Dwrenn.test.imageDir} or {@code WRENN_TEST_IMAGE_DIR}, default
 * {@code /var/lib/wrenn-hostexec}.
 */
public final class RealImageFixture {
    private static final Path DEFAULT_IMAGE_DIR = Path.of("/var/lib/wrenn-hostexec");
    private static final long BUILD_MINUTES = 20;
    private static DataDir built;

    private RealImageFixture() {}

    /**
     * A data directory under {@code root} whose images are links to the built image, so that sandboxes and their
     * overlays live (and are swept) under {@code root}.
     */
    public static DataDir dataDirUnder(Path root) throws IOException {
        DataDir image = image();
        DataDir dataDir = new DataDir(root);
        Files.createDirectories(dataDir.images());
        // images/build.sh publishes versioned directories behind `current`; link the files the store resolves.
        GuestImage base = new ImageStore(image.images()).resolve(ImageStore.BASE);
        for (Path file : List.of(base.kernel(), base.initramfs(), base.rootfs())) {
            Files.createSymbolicLink(dataDir.images().resolve(file.getFileName()), file);
        }
        return dataDir;
    }

    /** The built image, building it on first use. */
    public static synchronized DataDir image() {
        if (built == null) {
            HostTier.requireTools();
            Path repo = repositoryRoot();
            Path jar = repo.resolve("guest-agent/target/wrenn-guest-agent.jar");
            if (isStale(jar, repo)) {
                run(
                        repo,
                        "building the guest agent jar",
                        "./mvnw",
                        "-q",
                        "-B",
                        "-pl",
                        "guest-agent",
                        "-am",
                        "package",
                        "-DskipTests");
            }
            Path dir = imageDir();
            run(
                    repo,
                    "building the guest image",
                    "images/build.sh",
                    "--data-dir",
                    dir.toString(),
                    "--agent-jar",
                    jar.toString());
            built = new DataDir(dir);
        }
        return built;
    }

    private static Path imageDir() {
        String configured = System.getProperty("wrenn.test.imageDir", System.getenv("WRENN_TEST_IMAGE_DIR"));
        return configured == null || configured.isBlank() ? DEFAULT_IMAGE_DIR : Path.of(configured);
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("images/build.sh"))) {
                return dir;
            }
        }
        return fail("cannot find the repository root (with mvnw and images/build.sh) above "
                + Path.of("").toAbsolutePath());
    }

    /** Missing, or older than any source it is built from. */
    private static boolean isStale(Path jar, Path repo) {
        if (!Files.exists(jar)) {
            return true;
        }
        try {
            long built = Files.getLastModifiedTime(jar).toMillis();
            for (String module : List.of("guest-agent", "connect", "protocol")) {
                try (var files = Files.walk(repo.resolve(module).resolve("src/main"))) {
                    if (files.anyMatch(f -> modifiedAfter(f, built))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean modifiedAfter(Path file, long millis) {
        try {
            return Files.getLastModifiedTime(file).toMillis() > millis;
        } catch (IOException e) {
            return true;
        }
    }

    private static void run(Path repo, String what, String... command) {
        try {
            Path log = Files.createTempFile("wrenn-real-image-", ".log");
            Process process = new ProcessBuilder(command)
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(what + " took more than " + BUILD_MINUTES + " minutes; output:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            Files.delete(log);
            if (process.exitValue() != 0) {
                fail(what + " failed (" + String.join(" ", command) + ", exit " + process.exitValue() + "):\n"
                        + output);
            }
        } catch (IOException e) {
            fail(what + ": cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(what + " interrupted", e);
        }
    }
}
