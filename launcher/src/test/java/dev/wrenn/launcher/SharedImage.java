package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandException;
import dev.wrenn.host.sys.CommandResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real guest image the host agent's tests build (their {@code RealImage}), by the same command:
 * {@code ./wrenn image} into {@code /var/lib/wrenn-test} ({@code WRENN_TEST_DATA_DIR} overrides it), which builds the
 * guest agent jar when it is missing or older than its sources first. One build serves every module's tests; it
 * returns at once when nothing changed.
 */
final class SharedImage {
    static final Path DATA_DIR = Path.of(UpImage.env("WRENN_TEST_DATA_DIR", "/var/lib/wrenn-test"));

    private static final Duration BUILD_TIME = Duration.ofMinutes(30);

    private SharedImage() {}

    /** The versioned directory {@code images/current} points to, after building what is missing or stale. */
    static Path currentVersion(Path repo) {
        run(
                "building the guest image into " + DATA_DIR,
                Command.of("./wrenn", "image", "--data-dir", DATA_DIR.toString())
                        .in(repo));
        Path current = DATA_DIR.resolve("images/current");
        try {
            return current.toRealPath();
        } catch (IOException e) {
            return fail("resolving " + current + " after ./wrenn image: " + e.getMessage(), e);
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
