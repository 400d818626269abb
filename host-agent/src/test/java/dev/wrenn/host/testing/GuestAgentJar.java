package dev.wrenn.host.testing;

import dev.wrenn.host.sys.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The guest agent's jar that the real image embeds, built again when it is missing or older than any source it is
 * built from: an image with a guest agent behind the checkout would test yesterday's code.
 */
final class GuestAgentJar {
    /** The modules the jar is built from; their main sources decide whether it is stale. */
    private static final List<String> MODULES = List.of("guest-agent", "connect", "protocol");

    private GuestAgentJar() {}

    static Path path(Path repo) {
        return repo.resolve("guest-agent/target/wrenn-guest-agent.jar");
    }

    /** The jar, built first when stale; the Maven wrapper runs from the repository root, where the reactor is. */
    static Path current(Path repo) {
        Path jar = path(repo);
        if (isStale(jar, repo)) {
            RealImage.run(
                    "building the guest agent jar",
                    Command.of("./mvnw", "-q", "-B", "-pl", "guest-agent", "-am", "package", "-DskipTests")
                            .in(repo));
        }
        return jar;
    }

    private static boolean isStale(Path jar, Path repo) {
        if (!Files.isRegularFile(jar)) {
            return true;
        }
        try {
            long built = Files.getLastModifiedTime(jar).toMillis();
            for (String module : MODULES) {
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
}
