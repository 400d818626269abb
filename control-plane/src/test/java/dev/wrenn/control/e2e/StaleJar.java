package dev.wrenn.control.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * When a jar of this repository must be built again: it is missing, or a file under {@code src/main} of a module it is
 * built from is newer. A copy of the rule in the host agent's test fixture {@code dev.wrenn.host.testing.GuestAgentJar}
 * (the control plane's tests cannot use the host agent's test classes): change both together.
 */
final class StaleJar {
    private StaleJar() {}

    static boolean isStale(Path jar, Path repo, List<String> modules) {
        if (!Files.isRegularFile(jar)) {
            return true;
        }
        try {
            long built = Files.getLastModifiedTime(jar).toMillis();
            for (String module : modules) {
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
