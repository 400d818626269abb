package dev.wrenn.guest.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides when a command can be spawned straight away instead of through {@code /bin/sh -c 'exec "$@"'}, saving
 * the shell's start (about as long as starting the command itself). Only when the result is exactly what the shell
 * would have done: the command resolves on the process's PATH (all absolute) to a regular executable file that
 * the kernel runs itself (ELF or "#!"), and the environment holds nothing the shell would change (it drops names
 * that are not shell identifiers and sets PWD). Anything else (not found, not executable, a script without "#!",
 * a relative PATH entry, PWD set by the caller) keeps the shell, with its messages and exit codes.
 */
final class DirectExec {
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};
    private static final byte[] SHEBANG = {'#', '!'};
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private DirectExec() {}

    /** The program to exec for {@code cmd}, when running it without the shell changes nothing. */
    static Optional<Path> program(String cmd, Map<String, String> environment) {
        if (environment.containsKey("PWD") || !environment.keySet().stream().allMatch(DirectExec::isShellName)) {
            return Optional.empty();
        }
        try {
            if (cmd.contains("/")) {
                Path path = Path.of(cmd);
                return path.isAbsolute() && runsDirectly(path) ? Optional.of(path) : Optional.empty();
            }
            return searchPath(cmd, environment.getOrDefault("PATH", ""));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The first PATH entry holding {@code cmd}, if the kernel can run it; empty when the shell must decide. */
    private static Optional<Path> searchPath(String cmd, String path) {
        for (String directory : path.split(":", -1)) {
            if (!directory.startsWith("/")) {
                return Optional.empty(); // relative entries resolve against the cwd: leave them to the shell
            }
            Path candidate = Path.of(directory, cmd);
            if (Files.exists(candidate)) {
                return runsDirectly(candidate) ? Optional.of(candidate) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean runsDirectly(Path file) {
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(ELF.length);
            return Arrays.equals(head, ELF) || (head.length >= 2 && Arrays.equals(head, 0, 2, SHEBANG, 0, 2));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isShellName(String name) {
        return SHELL_NAME.matcher(name).matches();
    }
}
