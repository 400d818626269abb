package dev.wrenn.guest.process.sys;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Spawner} starts: {@code program} must be an absolute path ({@code argv[0]} may be any name); {@code environment} holds "KEY=value"
 * strings. The child always gets a new session (so it leads its own process group) and keeps only descriptors
 * 0-2, which {@code descriptors} set up in order.
 */
public record SpawnSpec(
        String program,
        List<String> argv,
        List<String> environment,
        Path workingDirectory,
        List<FdAction> descriptors) {
    public SpawnSpec {
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
        descriptors = List.copyOf(descriptors);
        if (!program.startsWith("/") || argv.isEmpty()) {
            throw new IllegalArgumentException(
                    "spawn needs an absolute program path and an argv[0], got " + program + " " + argv);
        }
    }

    /** One step in setting up the child's standard descriptors. */
    public sealed interface FdAction {
        /** Makes {@code target} a copy of the parent's {@code source}. */
        record Dup(int source, int target) implements FdAction {}

        /**
         * Opens {@code path} as {@code target} in the child. Runs after the new session is created, so opening a
         * terminal without O_NOCTTY makes it the child's controlling terminal.
         */
        record Open(String path, int flags, int target) implements FdAction {}
    }
}
