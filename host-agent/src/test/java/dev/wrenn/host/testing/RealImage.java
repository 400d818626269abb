package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real guest image (Debian kernel, initramfs, root disk with the real guest agent), built once per test run with
 * images/build.sh into {@code /var/lib/wrenn-test}. The build is cached there, so later runs take seconds. A build
 * that cannot run fails the test with the build's own message: this tier is never skipped.
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

    private static boolean built;

    private RealImage() {}

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The test data directory with a current image, building the guest agent and the image when needed. */
    public static synchronized DataDir dataDir() {
        HostTier.requireTools();
        if (!built) {
            Path repo = repository();
            Path agentJar = repo.resolve("guest-agent/target/wrenn-guest-agent.jar");
            if (!Files.isRegularFile(agentJar)) {
                run(
                        "building the guest agent jar",
                        Command.of("./mvnw", "-q", "-B", "-pl", "guest-agent", "-am", "package", "-DskipTests")
                                .in(repo));
            }
            run(
                    "building the guest image into " + DATA_DIR,
                    Command.of("images/build.sh", "--data-dir", DATA_DIR.toString(), "--agent-jar", agentJar.toString())
                            .in(repo));
            built = true;
        }
        return new DataDir(DATA_DIR);
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
                    .withTimeout(Duration.ofMinutes(20))
                    .run()
                    .stdout();
        } catch (CommandException e) {
            return fail("rebuilding the guest image failed: " + e.getMessage(), e);
        }
    }

    /** The repository root: surefire runs each module's tests in the module's directory. */
    public static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("images/build.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("cannot find the repository (images/build.sh) above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static void run(String what, Command command) {
        try {
            command.withTimeout(Duration.ofMinutes(20)).run();
        } catch (CommandException e) {
            fail(what + " failed, so the real-VM tests cannot run: " + e.getMessage(), e);
        }
    }
}
