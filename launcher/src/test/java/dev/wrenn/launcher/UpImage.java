package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandException;
import dev.wrenn.host.sys.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The data directory the in-process {@code wrenn up} tests run on, with a current guest image (built with
 * images/build.sh on first use, cached there afterwards). Never skipped: without root or the image tools the test
 * fails saying so. {@code WRENN_TEST_UP_DATA_DIR} and {@code WRENN_TEST_UP_FIRST_SLOT} keep concurrent checkouts apart.
 */
final class UpImage {
    static final Path DATA_DIR = Path.of(env("WRENN_TEST_UP_DATA_DIR", "/var/lib/wrenn-test-up"));
    /** Away from the host tests' slots (from 200) and from build/up-fixture.sh's (from 400). */
    static final String FIRST_SLOT = env("WRENN_TEST_UP_FIRST_SLOT", "300");

    private static boolean built;

    private UpImage() {}

    static synchronized Path dataDir() {
        if (!Privileges.isRoot()) {
            fail("the wrenn up tests boot VMs and must run as root");
        }
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
        return DATA_DIR;
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

    private static void run(String what, Command command) {
        try {
            command.withTimeout(Duration.ofMinutes(30)).run();
        } catch (CommandException e) {
            fail(what + " failed: " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
