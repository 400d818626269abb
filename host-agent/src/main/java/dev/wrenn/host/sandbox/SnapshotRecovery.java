package dev.wrenn.host.sandbox;

import dev.wrenn.host.snapshot.SnapshotFiles;
import dev.wrenn.host.snapshot.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent finds at start in the snapshots and templates directories, sorted by whether it is complete (its
 * meta.json exists). Committed pause snapshots become PAUSED sandboxes again. A snapshot directory without meta.json
 * is a pause or resume the earlier agent did not finish: its files are removed and the sandbox is listed FAILED with
 * that reason, so the control plane learns what happened. Unfinished templates (staging directories, no meta.json)
 * and leftovers of base-template builds are removed; committed templates are never touched.
 */
final class SnapshotRecovery {
    private static final Logger log = LoggerFactory.getLogger(SnapshotRecovery.class);
    static final String INTERRUPTED =
            "a pause or resume of this sandbox was interrupted by a host agent restart; its incomplete snapshot was removed";

    private final SnapshotStore store;

    SnapshotRecovery(SnapshotStore store) {
        this.store = store;
    }

    /** Adds the recovered sandboxes to {@code boxes}; returns the ids of those listed as PAUSED again. */
    List<String> recover(Map<String, Sandbox> boxes) {
        removeUnfinishedTemplates();
        List<String> paused = new ArrayList<>();
        for (Path dir : children(store.snapshotsDir())) {
            String id = dir.getFileName().toString();
            if (BaseTemplates.isBase(id)) {
                Sweeper.deleteTree(dir); // a base-template build the earlier agent did not finish
                continue;
            }
            var committed = store.paused(id);
            if (committed.isPresent()) {
                boxes.putIfAbsent(id, Sandbox.paused(id, committed.get().meta()));
                paused.add(id);
            } else {
                store.deletePaused(id);
                boxes.putIfAbsent(id, Sandbox.broken(id, INTERRUPTED));
                log.warn("sandbox {}: {}", id, INTERRUPTED);
            }
        }
        if (!paused.isEmpty()) {
            log.info("listing {} paused sandboxes again: {}", paused.size(), paused);
        }
        return paused;
    }

    private void removeUnfinishedTemplates() {
        for (Path dir : children(store.templatesDir())) {
            if (!Files.exists(new SnapshotFiles(dir).meta())) {
                Sweeper.deleteTree(dir);
                log.info("removed unfinished template {}", dir);
            }
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            log.warn("listing {}: {}", dir, e.getMessage());
            return List.of();
        }
    }
}
