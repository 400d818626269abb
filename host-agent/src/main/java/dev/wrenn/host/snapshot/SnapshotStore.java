package dev.wrenn.host.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.host.sys.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Snapshots on disk under the data directory: {@code snapshots/<sandbox-id>/} for paused sandboxes and
 * {@code templates/<name>/} for templates, each holding {@link SnapshotFiles}. Only directories whose
 * {@code meta.json} exists are snapshots; anything else is an unfinished attempt and is never offered for restore.
 * Names starting with a dot are the store's own work directories ({@code .staging-*}, {@code .next-*},
 * {@code .trash-*}): never listed, and removed by the recovery at start. Ids and names cannot start with a dot.
 */
public final class SnapshotStore {
    /** Crash point: a snapshot or template was moved to the trash but its files are not deleted yet. */
    public static final String CRASH_DELETE_RENAMED = "delete.renamed-to-trash";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public SnapshotStore(Path dataRoot) {
        this.root = dataRoot.toAbsolutePath().normalize();
    }

    public Path snapshotsDir() {
        return root.resolve("snapshots");
    }

    public Path templatesDir() {
        return root.resolve("templates");
    }

    public SnapshotFiles pausedFiles(String sandboxId) {
        return new SnapshotFiles(snapshotsDir().resolve(checkName("sandbox id", sandboxId)));
    }

    public SnapshotFiles templateFiles(String name) {
        return new SnapshotFiles(templatesDir().resolve(checkName("template name", name)));
    }

    /** The committed pause snapshot of a sandbox, if there is one. */
    public Optional<Snapshot> paused(String sandboxId) {
        return read(pausedFiles(sandboxId));
    }

    public Optional<Snapshot> template(String name) {
        return read(templateFiles(name));
    }

    public List<String> pausedIds() {
        return committedNames(snapshotsDir());
    }

    public List<String> templateNames() {
        return committedNames(templatesDir());
    }

    /**
     * Syncs the snapshot's files, then writes meta.json through a synced temporary file and a rename, and syncs the
     * directory: from this moment the snapshot is valid, and it is valid only once all of it is on disk.
     */
    public void commit(SnapshotFiles files, SnapshotMeta meta) {
        try {
            Durable.syncAll(files.ram(), files.state(), files.disk());
            Durable.write(files.meta(), JSON.writeValueAsBytes(meta));
        } catch (IOException e) {
            throw failure("committing snapshot " + files.dir(), e);
        }
    }

    /** Removes meta.json (durably) first, so the snapshot stops being valid before any of its files is touched. */
    public void uncommit(SnapshotFiles files) {
        try {
            if (Files.deleteIfExists(files.meta())) {
                Durable.sync(files.dir());
            }
        } catch (IOException e) {
            throw failure("invalidating snapshot " + files.dir(), e);
        }
    }

    /** Where a sandbox's next snapshot is made while its current one stays valid (see {@link #replacePaused}). */
    SnapshotFiles nextPausedFiles(String sandboxId) {
        return new SnapshotFiles(snapshotsDir().resolve(".next-" + checkName("sandbox id", sandboxId)));
    }

    /**
     * Puts the committed {@link #nextPausedFiles} in place of the sandbox's snapshot in one atomic exchange, then
     * removes the old one. A crash before the exchange leaves the old snapshot, after it the new one (recovery
     * removes the {@code .next-} directory either way).
     */
    void replacePaused(String sandboxId, String crashPoint) {
        SnapshotFiles next = nextPausedFiles(sandboxId);
        SnapshotFiles current = pausedFiles(sandboxId);
        try {
            Durable.exchange(next.dir(), current.dir());
        } catch (IOException e) {
            throw failure("replacing snapshot " + current.dir() + " with " + next.dir(), e);
        }
        CrashPoints.reach(crashPoint);
        deleteTree(next.dir());
    }

    /** Deletes the pause snapshot of a sandbox (meta first), committed or not. Idempotent. */
    public void deletePaused(String sandboxId) {
        delete(pausedFiles(sandboxId));
    }

    public void deleteTemplate(String name) {
        delete(templateFiles(name));
    }

    /** Allocated bytes of every snapshot and template (blocks in use, not apparent sizes). */
    public long diskUsageBytes() {
        return DiskUsage.allocatedBytes(snapshotsDir()) + DiskUsage.allocatedBytes(templatesDir());
    }

    public long diskUsageBytes(SnapshotFiles files) {
        return DiskUsage.allocatedBytes(files.dir());
    }

    /** Removes the directory from view in one atomic rename (to {@code .trash-*}), then deletes its files. */
    void delete(SnapshotFiles files) {
        if (!Files.exists(files.dir())) {
            return;
        }
        Path trash = files.dir().resolveSibling(".trash-" + files.dir().getFileName() + "-" + System.nanoTime());
        try {
            Durable.rename(files.dir(), trash);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            throw failure("deleting " + files.dir(), e);
        }
        CrashPoints.reach(CRASH_DELETE_RENAMED);
        deleteTree(trash);
    }

    /** An empty directory for a new attempt; leftovers of an earlier uncommitted attempt are removed. */
    SnapshotFiles prepare(SnapshotFiles files) {
        if (Files.exists(files.meta())) {
            throw new HostAgentException(ErrorCode.ALREADY_EXISTS, "snapshot " + files.dir() + " already exists");
        }
        deleteTree(files.dir());
        try {
            Files.createDirectories(files.dir().getParent());
            Durable.createDirectory(files.dir());
        } catch (IOException e) {
            throw failure("creating snapshot directory " + files.dir(), e);
        }
        return files;
    }

    private Optional<Snapshot> read(SnapshotFiles files) {
        try {
            return Optional.of(new Snapshot(files, JSON.readValue(files.meta().toFile(), SnapshotMeta.class)));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("reading snapshot " + files.meta(), e);
        }
    }

    private static List<String> committedNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> Files.exists(new SnapshotFiles(d).meta()))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw failure("listing " + dir, e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw failure("deleting " + dir, e);
        }
    }

    /**
     * Ids and names become directory names: no separators, no dot-files, nothing that climbs out. A leading underscore
     * is allowed for the agent's own templates (callers' names cannot start with one).
     */
    private static String checkName(String what, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) {
            throw new HostAgentException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + ": " + name);
        }
        return name;
    }

    private static HostAgentException failure(String what, IOException e) {
        return new HostAgentException(ErrorCode.INTERNAL, what + ": " + e.getMessage(), e);
    }
}
