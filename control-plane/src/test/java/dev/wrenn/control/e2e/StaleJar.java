package dev.wrenn.control.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * When a jar of this repository must be built again: it is missing, or a file under {@code src/main} of a module it is
 * built from is newer. (For the host agent's jar, which these tests start; the guest image comes from
 * {@code ./wrenn image}, which applies the launcher's rule to the guest agent's jar.)
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
