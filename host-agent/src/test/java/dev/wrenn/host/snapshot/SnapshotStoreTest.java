package dev.wrenn.host.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.HostAgentException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    @TempDir
    Path data;

    private final SnapshotMeta meta = new SnapshotMeta(
            "sb-1", 1, 256, "/k", "/i", "", false, true, null, "2026-11-28T00:00:00Z", Map.of("a", "b"));

    @Test
    void aSnapshotExistsOnlyOnceItsMetaIsCommitted() throws Exception {
        SnapshotStore store = new SnapshotStore(data);
        SnapshotFiles files = store.prepare(store.pausedFiles("sb-1"));
        Files.writeString(files.state(), "state");
        assertThat(store.paused("sb-1")).isEmpty();
        assertThat(store.pausedIds()).isEmpty();

        store.commit(files, meta);

        assertThat(store.paused("sb-1")).contains(new Snapshot(files, meta));
        assertThat(store.pausedIds()).containsExactly("sb-1");
        assertThat(files.dir().resolve("meta.json.partial")).doesNotExist();
        store.uncommit(files);
        assertThat(store.paused("sb-1")).isEmpty();
        assertThat(files.state()).exists();
    }

    @Test
    void preparingOverAnUnfinishedAttemptStartsEmptyButACommittedSnapshotIsKept() throws Exception {
        SnapshotStore store = new SnapshotStore(data);
        SnapshotFiles files = store.prepare(store.pausedFiles("sb-2"));
        Files.writeString(files.dir().resolve("state.partial"), "half");
        store.prepare(files);
        assertThat(files.dir()).isEmptyDirectory();

        store.commit(files, meta);
        assertThatThrownBy(() -> store.prepare(files))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void deleteRemovesTheDirectoryAndIsIdempotent() {
        SnapshotStore store = new SnapshotStore(data);
        SnapshotFiles files = store.prepare(store.templateFiles("tpl"));
        store.commit(files, meta);
        assertThat(store.templateNames()).containsExactly("tpl");

        store.deleteTemplate("tpl");
        store.deleteTemplate("tpl");

        assertThat(files.dir()).doesNotExist();
        assertThat(store.template("tpl")).isEmpty();
    }

    @Test
    void namesThatCouldLeaveTheStoreAreRejected() {
        SnapshotStore store = new SnapshotStore(data);
        for (String bad : new String[] {"../x", "a/b", ".hidden", ""}) {
            assertThatThrownBy(() -> store.pausedFiles(bad))
                    .isInstanceOf(HostAgentException.class)
                    .hasMessageStartingWith("invalid sandbox id");
        }
    }

    @Test
    void diskUsageCountsAllocatedBlocksNotTheApparentSizeOfASparseFile() throws Exception {
        SnapshotStore store = new SnapshotStore(data);
        SnapshotFiles files = store.prepare(store.pausedFiles("sb-3"));
        try (RandomAccessFile ram = new RandomAccessFile(files.ram().toFile(), "rw")) {
            ram.setLength(256L << 20);
            ram.seek(1 << 20);
            ram.write(new byte[1 << 20]); // zeros written are still allocated blocks
        }

        long used = store.diskUsageBytes(files);

        assertThat(files.ram()).hasSize(256L << 20);
        assertThat(used).isBetween(1L << 20, 2L << 20);
    }
}
