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
 * is a pause cut off before its commit or a resume cut off after it: either way the sandbox's VM was running (a
 * restarted agent reclaims running VMs), so its files are removed and the sandbox is listed FAILED with that reason,
 * so the control plane learns what happened. The store's work directories (names starting with a dot: a template
 * being staged, a snapshot made aside to replace another, a deletion in progress) hold either a copy not yet
 * published or the old copy already replaced, never the only one: they are removed. Unfinished templates and
 * leftovers of base-template builds are removed too; committed templates are never touched. Nothing here needs the
 * files under {@code sandboxes/}: a pause or resume only ever links a snapshot's files there, so the start sweep
 * removing that directory cannot take the only copy.
 */
final class SnapshotRecovery {
    private static final Logger log = LoggerFactory.getLogger(SnapshotRecovery.class);
    static final String INTERRUPTED =
            "the host agent restarted while this sandbox's VM was running (a pause before its snapshot was complete, or a"
                    + " resume after its guest had started); like every running sandbox it was reclaimed";

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
            if (isWorkDirectory(dir)) {
                Sweeper.deleteTree(dir);
                log.info("removed {}: a snapshot replacement or deletion the earlier agent did not finish", dir);
                continue;
            }
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
            if (isWorkDirectory(dir) || !Files.exists(new SnapshotFiles(dir).meta())) {
                Sweeper.deleteTree(dir);
                log.info("removed unfinished template {}", dir);
            }
        }
    }

    /** {@code .staging-*}, {@code .next-*}, {@code .trash-*}: ids and template names never start with a dot. */
    private static boolean isWorkDirectory(Path dir) {
        return dir.getFileName().toString().startsWith(".");
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
