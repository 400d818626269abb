package dev.wrenn.host.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Snapshots on disk under the data directory: {@code snapshots/<sandbox-id>/} for paused sandboxes and
 * {@code templates/<name>/} for templates, each holding {@link SnapshotFiles}. Only directories whose
 * {@code meta.json} exists are snapshots; anything else is an unfinished attempt and is never offered for restore.
 */
public final class SnapshotStore {
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

    /** Writes meta.json through a temporary file and a rename: from this moment the snapshot is valid. */
    public void commit(SnapshotFiles files, SnapshotMeta meta) {
        Path partial = files.dir().resolve("meta.json.partial");
        try {
            JSON.writeValue(partial.toFile(), meta);
            Files.move(partial, files.meta(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw failure("committing snapshot " + files.dir(), e);
        }
    }

    /** Removes meta.json first, so the snapshot stops being valid before any of its files is touched. */
    public void uncommit(SnapshotFiles files) {
        try {
            Files.deleteIfExists(files.meta());
        } catch (IOException e) {
            throw failure("invalidating snapshot " + files.dir(), e);
        }
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

    void delete(SnapshotFiles files) {
        uncommit(files);
        deleteTree(files.dir());
    }

    /** An empty directory for a new attempt; leftovers of an earlier uncommitted attempt are removed. */
    SnapshotFiles prepare(SnapshotFiles files) {
        if (Files.exists(files.meta())) {
            throw new HostAgentException(ErrorCode.ALREADY_EXISTS, "snapshot " + files.dir() + " already exists");
        }
        deleteTree(files.dir());
        try {
            Files.createDirectories(files.dir());
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
            return entries.filter(d -> Files.exists(new SnapshotFiles(d).meta()))
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
