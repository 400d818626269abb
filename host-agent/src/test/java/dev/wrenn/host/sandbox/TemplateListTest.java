package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.snapshot.SnapshotFiles;
import dev.wrenn.host.snapshot.SnapshotMeta;
import dev.wrenn.host.snapshot.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ListSnapshots reports: the callers' committed templates with their creation time, nothing half-made. */
class TemplateListTest {
    @TempDir
    Path data;

    @Test
    void onlyCommittedCallerTemplatesAreListedOldestFirstWithWhenAndFromWhat() throws Exception {
        SnapshotStore store = new SnapshotStore(data);
        commit(store, "tpl-new", "sb-b", "2026-12-05T10:00:00Z");
        commit(store, "tpl-old", "sb-a", "2026-12-01T10:00:00Z");
        commit(store, "_base-v1-1c512m", "_base-v1-1c512m", "2026-11-01T10:00:00Z");
        Files.createDirectories(store.templatesDir().resolve(".staging-tpl-half"));
        Files.createDirectories(store.templatesDir().resolve("tpl-uncommitted"));

        var listed = new TemplateCatalog(store, new HashMap<>(), name -> {}).list();

        assertThat(listed)
                .containsExactly(
                        new TemplateInfo("tpl-old", Instant.parse("2026-12-01T10:00:00Z"), "sb-a"),
                        new TemplateInfo("tpl-new", Instant.parse("2026-12-05T10:00:00Z"), "sb-b"));
    }

    private static void commit(SnapshotStore store, String name, String source, String createdAt) throws Exception {
        SnapshotFiles files = store.templateFiles(name);
        Files.createDirectories(files.dir());
        Files.writeString(files.state(), "state");
        store.commit(files, new SnapshotMeta(source, 1, 256, "/k", null, "", false, false, null, createdAt, Map.of()));
    }
}
