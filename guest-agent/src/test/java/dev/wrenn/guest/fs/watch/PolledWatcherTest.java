package dev.wrenn.guest.fs.watch;

import static dev.wrenn.guest.fs.ConnectErrors.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wrenn.connect.Code;
import dev.wrenn.guest.fs.FsFixture;
import dev.wrenn.protocol.envd.filesystem.CreateWatcherRequest;
import dev.wrenn.protocol.envd.filesystem.CreateWatcherResponse;
import dev.wrenn.protocol.envd.filesystem.EventType;
import dev.wrenn.protocol.envd.filesystem.FilesystemEvent;
import dev.wrenn.protocol.envd.filesystem.GetWatcherEventsRequest;
import dev.wrenn.protocol.envd.filesystem.GetWatcherEventsResponse;
import dev.wrenn.protocol.envd.filesystem.RemoveWatcherRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolledWatcherTest {
    @TempDir
    Path tempDir;

    private FsFixture fs;
    private Path watched;

    @BeforeEach
    void setUp() throws Exception {
        fs = new FsFixture(tempDir);
        watched = Files.createDirectory(fs.root.resolve("watched"));
    }

    @AfterEach
    void tearDown() {
        fs.service.shutdown();
    }

    private String createWatcher(boolean recursive, boolean includeEntry) {
        CreateWatcherResponse response = fs.call(
                "CreateWatcher",
                CreateWatcherRequest.newBuilder()
                        .setPath(watched.toString())
                        .setRecursive(recursive)
                        .setIncludeEntry(includeEntry)
                        .build(),
                FsFixture.as("alice"));
        return response.getWatcherId();
    }

    private List<FilesystemEvent> drain(String id) {
        GetWatcherEventsResponse response = fs.call(
                "GetWatcherEvents",
                GetWatcherEventsRequest.newBuilder().setWatcherId(id).build(),
                FsFixture.as("alice"));
        return response.getEventsList();
    }

    @Test
    void aWatcherBuffersEventsUntilTheyAreDrained() throws Exception {
        String id = createWatcher(true, true);
        Files.createDirectory(watched.resolve("sub"));
        List<FilesystemEvent> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.addAll(drain(id)) && containsCreate(seen, "sub"));
        Files.writeString(watched.resolve("sub/data.csv"), "1,2");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> seen.addAll(drain(id)) && containsCreate(seen, "sub/data.csv"));

        FilesystemEvent created = seen.stream()
                .filter(e -> e.getName().equals("sub/data.csv"))
                .findFirst()
                .orElseThrow();
        assertThat(created.getEntry().getPath())
                .isEqualTo(watched.resolve("sub/data.csv").toString());
    }

    private static boolean containsCreate(List<FilesystemEvent> events, String name) {
        return events.stream().anyMatch(e -> e.getName().equals(name) && e.getType() == EventType.EVENT_TYPE_CREATE);
    }

    @Test
    void drainingTwiceReturnsEachEventOnce() throws Exception {
        String id = createWatcher(false, false);
        Files.writeString(watched.resolve("once.txt"), "");
        await().atMost(Duration.ofSeconds(10)).until(() -> !drain(id).isEmpty());

        assertThat(drain(id)).isEmpty();
    }

    @Test
    void removingAWatcherReleasesItAndForgetsItsId() throws Exception {
        long before = InotifyDescriptors.open();
        String id = createWatcher(true, false);
        assertThat(InotifyDescriptors.open()).isEqualTo(before + 1);

        fs.call(
                "RemoveWatcher",
                RemoveWatcherRequest.newBuilder().setWatcherId(id).build(),
                FsFixture.as("alice"));

        assertThat(InotifyDescriptors.open()).isEqualTo(before);
        assertFailsWith(Code.NOT_FOUND, () -> drain(id));
    }

    @Test
    void unknownWatcherIdsAreNotFound() {
        assertFailsWith(Code.NOT_FOUND, () -> drain("nope"));
        assertFailsWith(
                Code.NOT_FOUND,
                () -> fs.call(
                        "RemoveWatcher",
                        RemoveWatcherRequest.newBuilder().setWatcherId("nope").build(),
                        FsFixture.as("alice")));
    }

    @Test
    void creatingAWatcherOnAMissingPathIsNotFoundAndOnAFileAnInvalidArgument() throws Exception {
        Path file = Files.writeString(fs.root.resolve("file"), "");

        assertFailsWith(
                Code.NOT_FOUND,
                () -> fs.call(
                        "CreateWatcher",
                        CreateWatcherRequest.newBuilder()
                                .setPath(fs.root.resolve("missing").toString())
                                .build(),
                        FsFixture.as("alice")));
        assertFailsWith(
                Code.INVALID_ARGUMENT,
                () -> fs.call(
                        "CreateWatcher",
                        CreateWatcherRequest.newBuilder()
                                .setPath(file.toString())
                                .build(),
                        FsFixture.as("alice")));
    }

    @Test
    void shutdownReleasesEveryWatcher() throws Exception {
        long before = InotifyDescriptors.open();
        createWatcher(false, false);
        createWatcher(true, false);

        fs.service.shutdown();

        assertThat(InotifyDescriptors.open()).isEqualTo(before);
    }
}
