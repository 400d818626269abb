package dev.wrenn.guest.fs.watch;

import static dev.wrenn.guest.fs.ConnectErrors.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wrenn.connect.Code;
import dev.wrenn.guest.fs.FakeCallContext;
import dev.wrenn.guest.fs.FsFixture;
import dev.wrenn.guest.fs.RecordingSink;
import dev.wrenn.protocol.envd.filesystem.EventType;
import dev.wrenn.protocol.envd.filesystem.FileType;
import dev.wrenn.protocol.envd.filesystem.FilesystemEvent;
import dev.wrenn.protocol.envd.filesystem.WatchDirRequest;
import dev.wrenn.protocol.envd.filesystem.WatchDirResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchDirTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tempDir;

    private FsFixture fs;
    private Path watched;
    private final List<Thread> streams = new ArrayList<>();
    private final List<FakeCallContext> contexts = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fs = new FsFixture(tempDir);
        watched = Files.createDirectory(fs.root.resolve("watched"));
    }

    @AfterEach
    void endStreams() throws InterruptedException {
        contexts.forEach(FakeCallContext::cancel);
        for (Thread stream : streams) {
            stream.join(WAIT.toMillis());
        }
    }

    /** Starts a WatchDir call on its own thread, as the server would, and returns its messages. */
    private RecordingSink<WatchDirResponse> watch(WatchDirRequest request, FakeCallContext context)
            throws InterruptedException {
        RecordingSink<WatchDirResponse> sink = new RecordingSink<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread stream = Thread.ofVirtual().start(() -> {
            try {
                fs.stream("WatchDir", request, context, sink);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        streams.add(stream);
        contexts.add(context);
        assertThat(sink.next(WAIT).hasStart())
                .as("first message is the start event")
                .isTrue();
        return sink;
    }

    private RecordingSink<WatchDirResponse> watchRecursively(boolean includeEntry) throws InterruptedException {
        return watch(
                WatchDirRequest.newBuilder()
                        .setPath(watched.toString())
                        .setRecursive(true)
                        .setIncludeEntry(includeEntry)
                        .build(),
                FsFixture.as("alice"));
    }

    /** The next filesystem event, skipping keepalives. */
    private static FilesystemEvent nextEvent(RecordingSink<WatchDirResponse> sink) throws InterruptedException {
        while (true) {
            WatchDirResponse message = sink.next(WAIT);
            if (message.hasFilesystem()) {
                return message.getFilesystem();
            }
        }
    }

    /** Events up to and including the first one matching name and type. */
    private static List<FilesystemEvent> eventsUntil(RecordingSink<WatchDirResponse> sink, String name, EventType type)
            throws InterruptedException {
        List<FilesystemEvent> seen = new ArrayList<>();
        while (true) {
            FilesystemEvent event = nextEvent(sink);
            seen.add(event);
            if (event.getName().equals(name) && event.getType() == type) {
                return seen;
            }
        }
    }

    @Test
    void createWriteChmodRenameAndRemoveAreReportedWithNamesRelativeToTheWatchedDirectory() throws Exception {
        RecordingSink<WatchDirResponse> sink = watchRecursively(false);
        Path file = watched.resolve("file.txt");

        Files.createFile(file);
        eventsUntil(sink, "file.txt", EventType.EVENT_TYPE_CREATE);
        Files.writeString(file, "data");
        eventsUntil(sink, "file.txt", EventType.EVENT_TYPE_WRITE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        eventsUntil(sink, "file.txt", EventType.EVENT_TYPE_CHMOD);
        Files.move(file, watched.resolve("renamed.txt"));
        eventsUntil(sink, "file.txt", EventType.EVENT_TYPE_RENAME);
        eventsUntil(sink, "renamed.txt", EventType.EVENT_TYPE_CREATE);
        Files.delete(watched.resolve("renamed.txt"));
        eventsUntil(sink, "renamed.txt", EventType.EVENT_TYPE_REMOVE);
    }

    @Test
    void aRecursiveWatchFollowsSubdirectoriesCreatedAfterItStarted() throws Exception {
        Files.createDirectory(watched.resolve("existing"));
        RecordingSink<WatchDirResponse> sink = watchRecursively(false);

        Files.writeString(watched.resolve("existing/a.txt"), "a");
        eventsUntil(sink, "existing/a.txt", EventType.EVENT_TYPE_CREATE);
        Files.createDirectory(watched.resolve("nested"));
        eventsUntil(sink, "nested", EventType.EVENT_TYPE_CREATE);
        Files.writeString(watched.resolve("nested/file.txt"), "x");
        eventsUntil(sink, "nested/file.txt", EventType.EVENT_TYPE_CREATE);
        Files.delete(watched.resolve("nested/file.txt"));
        eventsUntil(sink, "nested/file.txt", EventType.EVENT_TYPE_REMOVE);
    }

    @Test
    void aSubdirectoryMovedWithinTheTreeIsWatchedUnderItsNewName() throws Exception {
        Files.createDirectory(watched.resolve("before"));
        RecordingSink<WatchDirResponse> sink = watchRecursively(false);

        Files.move(watched.resolve("before"), watched.resolve("after"));
        eventsUntil(sink, "after", EventType.EVENT_TYPE_CREATE);
        Files.writeString(watched.resolve("after/inside.txt"), "x");

        List<FilesystemEvent> events = eventsUntil(sink, "after/inside.txt", EventType.EVENT_TYPE_CREATE);
        assertThat(events).extracting(FilesystemEvent::getName).doesNotContain("before/inside.txt");
    }

    @Test
    void aDirectoryTreeCreatedAtOnceIsReportedEntryByEntry() throws Exception {
        RecordingSink<WatchDirResponse> sink = watchRecursively(false);

        Files.createDirectories(watched.resolve("a/b/c"));

        List<FilesystemEvent> events = eventsUntil(sink, "a/b/c", EventType.EVENT_TYPE_CREATE);
        assertThat(events).extracting(FilesystemEvent::getName).contains("a", "a/b");
    }

    @Test
    void aDirectoryMovedOutOfTheTreeIsNoLongerReported() throws Exception {
        Files.createDirectory(watched.resolve("leaving"));
        RecordingSink<WatchDirResponse> sink = watchRecursively(false);

        Files.move(watched.resolve("leaving"), fs.root.resolve("outside"));
        eventsUntil(sink, "leaving", EventType.EVENT_TYPE_RENAME);
        Files.writeString(fs.root.resolve("outside/x.txt"), "x");
        Files.writeString(watched.resolve("marker.txt"), "x");

        List<FilesystemEvent> events = eventsUntil(sink, "marker.txt", EventType.EVENT_TYPE_CREATE);
        assertThat(events).extracting(FilesystemEvent::getName).doesNotContain("leaving/x.txt", "x.txt");
    }

    @Test
    void aNonRecursiveWatchReportsOnlyTheDirectoryItself() throws Exception {
        Files.createDirectory(watched.resolve("sub"));
        RecordingSink<WatchDirResponse> sink =
                watch(WatchDirRequest.newBuilder().setPath(watched.toString()).build(), FsFixture.as("alice"));

        Files.writeString(watched.resolve("sub/inner.txt"), "x");
        Files.writeString(watched.resolve("marker.txt"), "x");

        List<FilesystemEvent> events = eventsUntil(sink, "marker.txt", EventType.EVENT_TYPE_CREATE);
        assertThat(events).extracting(FilesystemEvent::getName).doesNotContain("sub/inner.txt");
    }

    @Test
    void includeEntryAttachesTheEntryToCreateWriteAndChmodOnly() throws Exception {
        RecordingSink<WatchDirResponse> sink = watchRecursively(true);
        Path file = watched.resolve("report.txt");

        Files.writeString(file, "12345");
        FilesystemEvent created =
                eventsUntil(sink, "report.txt", EventType.EVENT_TYPE_CREATE).getLast();
        FilesystemEvent written =
                eventsUntil(sink, "report.txt", EventType.EVENT_TYPE_WRITE).getLast();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        FilesystemEvent chmodded =
                eventsUntil(sink, "report.txt", EventType.EVENT_TYPE_CHMOD).getLast();
        Files.delete(file);
        FilesystemEvent removed =
                eventsUntil(sink, "report.txt", EventType.EVENT_TYPE_REMOVE).getLast();

        assertThat(created.getEntry().getPath()).isEqualTo(file.toString());
        assertThat(created.getEntry().getType()).isEqualTo(FileType.FILE_TYPE_FILE);
        assertThat(written.hasEntry()).isTrue();
        assertThat(chmodded.getEntry().getPermissions()).isEqualTo("-rw-------");
        assertThat(removed.hasEntry()).isFalse();
    }

    @Test
    void withoutIncludeEntryEventsCarryNoEntry() throws Exception {
        RecordingSink<WatchDirResponse> sink = watchRecursively(false);

        Files.writeString(watched.resolve("plain.txt"), "x");

        assertThat(eventsUntil(sink, "plain.txt", EventType.EVENT_TYPE_CREATE)
                        .getLast()
                        .hasEntry())
                .isFalse();
    }

    @Test
    void aQuietStreamSendsKeepalivesAtTheRequestedInterval() throws Exception {
        RecordingSink<WatchDirResponse> sink = watch(
                WatchDirRequest.newBuilder().setPath(watched.toString()).build(),
                FsFixture.as("alice").withHeader("Keepalive-Ping-Interval", "1"));

        assertThat(sink.next(WAIT).hasKeepalive()).isTrue();
        assertThat(sink.next(WAIT).hasKeepalive()).isTrue();
    }

    @Test
    void theKeepaliveIntervalDefaultsToNinetySeconds() {
        assertThat(WatchStreams.keepaliveInterval(new FakeCallContext())).isEqualTo(Duration.ofSeconds(90));
        assertThat(WatchStreams.keepaliveInterval(new FakeCallContext().withHeader("Keepalive-Ping-Interval", "50")))
                .isEqualTo(Duration.ofSeconds(50));
        assertThat(WatchStreams.keepaliveInterval(new FakeCallContext().withHeader("Keepalive-Ping-Interval", "x")))
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void cancellingTheCallEndsTheStreamAndReleasesTheWatch() throws Exception {
        long before = InotifyDescriptors.open();
        FakeCallContext context = FsFixture.as("alice");
        watch(
                WatchDirRequest.newBuilder()
                        .setPath(watched.toString())
                        .setRecursive(true)
                        .build(),
                context);
        assertThat(InotifyDescriptors.open()).isEqualTo(before + 1);

        context.cancel();

        await().atMost(WAIT).until(() -> streams.getLast().getState() == Thread.State.TERMINATED);
        assertThat(InotifyDescriptors.open()).isEqualTo(before);
    }

    @Test
    void aClientThatWentAwayEndsTheStreamAtTheNextMessage() throws Exception {
        long before = InotifyDescriptors.open();
        RecordingSink<WatchDirResponse> sink =
                watch(WatchDirRequest.newBuilder().setPath(watched.toString()).build(), FsFixture.as("alice"));

        sink.close();
        Files.writeString(watched.resolve("poke.txt"), "x");

        await().atMost(WAIT).until(() -> streams.getLast().getState() == Thread.State.TERMINATED);
        assertThat(InotifyDescriptors.open()).isEqualTo(before);
    }

    @Test
    void watchingAMissingPathIsNotFound() {
        WatchDirRequest request = WatchDirRequest.newBuilder()
                .setPath(fs.root.resolve("missing").toString())
                .build();

        assertFailsWith(
                Code.NOT_FOUND, () -> fs.stream("WatchDir", request, FsFixture.as("alice"), new RecordingSink<>()));
    }

    @Test
    void watchingAFileIsAnInvalidArgument() throws Exception {
        Path file = Files.writeString(fs.root.resolve("file.txt"), "");
        WatchDirRequest request =
                WatchDirRequest.newBuilder().setPath(file.toString()).build();

        assertFailsWith(
                Code.INVALID_ARGUMENT,
                () -> fs.stream("WatchDir", request, FsFixture.as("alice"), new RecordingSink<>()));
    }

    @Test
    void aRelativeWatchPathIsResolvedInTheCallersHome() throws Exception {
        Files.createDirectory(fs.aliceHome.resolve("project"));
        RecordingSink<WatchDirResponse> sink =
                watch(WatchDirRequest.newBuilder().setPath("project").build(), FsFixture.as("alice"));

        Files.writeString(fs.aliceHome.resolve("project/main.py"), "print()");

        eventsUntil(sink, "main.py", EventType.EVENT_TYPE_CREATE);
    }
}
