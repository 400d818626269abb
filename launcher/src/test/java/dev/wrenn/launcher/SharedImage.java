package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandException;
import dev.wrenn.host.sys.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real guest image the host agent's tests build (their {@code RealImage}): images/build.sh into
 * {@code /var/lib/wrenn-test} ({@code WRENN_TEST_DATA_DIR} overrides it), after building the guest agent jar when it is
 * missing or older than its sources. One build serves every module's tests; build.sh returns at once when nothing
 * changed. The staleness rule is a copy of the host agent tests' {@code GuestAgentJar} (this module's tests cannot use
 * the host agent's test classes): change both together.
 */
final class SharedImage {
    static final Path DATA_DIR = Path.of(UpImage.env("WRENN_TEST_DATA_DIR", "/var/lib/wrenn-test"));

    private static final List<String> AGENT_MODULES = List.of("guest-agent", "connect", "protocol");
    private static final Duration BUILD_TIME = Duration.ofMinutes(30);

    private SharedImage() {}

    /** The versioned directory {@code images/current} points to, after building what is missing or stale. */
    static Path currentVersion(Path repo) {
        Path agentJar = repo.resolve("guest-agent/target/wrenn-guest-agent.jar");
        if (isStale(agentJar, repo)) {
            run(
                    "building the guest agent jar",
                    Command.of("./mvnw", "-q", "-B", "-pl", "guest-agent", "-am", "package", "-DskipTests")
                            .in(repo));
        }
        run(
                "building the guest image into " + DATA_DIR,
                Command.of("images/build.sh", "--data-dir", DATA_DIR.toString(), "--agent-jar", agentJar.toString())
                        .in(repo));
        Path current = DATA_DIR.resolve("images/current");
        try {
            return current.toRealPath();
        } catch (IOException e) {
            return fail("resolving " + current + " after images/build.sh: " + e.getMessage(), e);
        }
    }

    private static boolean isStale(Path jar, Path repo) {
        if (!Files.isRegularFile(jar)) {
            return true;
        }
        try {
            long built = Files.getLastModifiedTime(jar).toMillis();
            for (String module : AGENT_MODULES) {
                try (Stream<Path> files = Files.walk(repo.resolve(module).resolve("src/main"))) {
                    if (files.anyMatch(file -> modifiedAfter(file, built))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return true; // cannot tell: building again is slow but never wrong
        }
    }

    private static boolean modifiedAfter(Path file, long millis) {
        try {
            return Files.getLastModifiedTime(file).toMillis() > millis;
        } catch (IOException e) {
            return true;
        }
    }

    private static void run(String what, Command command) {
        try {
            command.withTimeout(BUILD_TIME).run();
        } catch (CommandException e) {
            fail(what + " failed, so the wrenn up tests cannot run: " + e.getMessage() + stdoutOf(e), e);
        }
    }

    // Maven reports its errors on stdout, which the exception's message (stderr only) leaves out.
    private static String stdoutOf(CommandException e) {
        CommandResult result = e.result();
        return result == null || result.stdout().isBlank() ? "" : "\noutput:\n" + result.stdout();
    }
}
