package dev.wrenn.launcher.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoversTest {
    @TempDir
    Path dataDir;

    @Test
    void theHostAgentsOwnDirectoriesAndBaseTemplatesAreNoLeftovers() throws Exception {
        Files.createDirectories(dataDir.resolve("sandboxes"));
        Files.createDirectories(dataDir.resolve("snapshots"));
        Files.createDirectories(dataDir.resolve("templates/_base-310e81c912008e22-2-1c512m"));

        assertThat(Leftovers.files(dataDir, Set.of(), Set.of(), Set.of())).isEmpty();
    }

    @Test
    void entriesTheApiDoesNotKnowAreLeftovers() throws Exception {
        Files.createDirectories(dataDir.resolve("sandboxes/sb-live"));
        Files.createDirectories(dataDir.resolve("sandboxes/sb-gone"));
        Files.createDirectories(dataDir.resolve("snapshots/sb-paused"));
        Files.createDirectories(dataDir.resolve("snapshots/sb-live"));
        Files.createDirectories(dataDir.resolve("templates/tpl-known"));
        Files.createDirectories(dataDir.resolve("templates/tpl-orphan"));
        Files.createDirectories(dataDir.resolve("templates/.staging-tpl-x"));

        assertThat(Leftovers.files(dataDir, Set.of("sb-live", "sb-paused"), Set.of("sb-paused"), Set.of("tpl-known")))
                .containsExactlyInAnyOrder(
                        "file " + dataDir.resolve("sandboxes/sb-gone") + " (the API lists no such sandbox)",
                        "file " + dataDir.resolve("snapshots/sb-live") + " (the API lists no such paused sandbox)",
                        "file " + dataDir.resolve("templates/.staging-tpl-x") + " (no such template)",
                        "file " + dataDir.resolve("templates/tpl-orphan") + " (no such template)");
    }

    @Test
    void aMissingDataDirectoryHasNothingLeft() {
        assertThat(Leftovers.files(dataDir.resolve("never-made"), Set.of(), Set.of(), Set.of()))
                .isEmpty();
    }
}
