package dev.wrenn.guest.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything decided about a process before it starts: validated, resolved and ready for posix_spawn.
 * {@code program} is the file to execute, {@code argv} its arguments from argv[0] (which names the command as the
 * client gave it, as a shell would).
 */
record LaunchPlan(
        String program,
        List<String> argv,
        List<String> environment,
        Path workingDirectory,
        Optional<TerminalSize> pty,
        boolean stdin,
        int uid) {
    record TerminalSize(int cols, int rows) {}

    LaunchPlan {
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
    }
}
