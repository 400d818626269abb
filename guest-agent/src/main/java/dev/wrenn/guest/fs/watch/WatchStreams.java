package dev.wrenn.guest.fs.watch;

import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.StreamSink;
import dev.wrenn.guest.fs.EntryInfos;
import dev.wrenn.protocol.envd.filesystem.FilesystemEvent;
import dev.wrenn.protocol.envd.filesystem.WatchDirRequest;
import dev.wrenn.protocol.envd.filesystem.WatchDirResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Serves {@code WatchDir}: a start message, then every change as it happens, and a keepalive whenever nothing was
 * sent for {@code Keepalive-Ping-Interval} seconds (90 without the header) so proxies keep the stream open. The
 * watch lives exactly as long as the call: it is released when the client goes away or the call is cancelled.
 */
public final class WatchStreams {
    static final String KEEPALIVE_HEADER = "Keepalive-Ping-Interval";
    static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(90);

    private static final WatchDirResponse START = WatchDirResponse.newBuilder()
            .setStart(WatchDirResponse.StartEvent.getDefaultInstance())
            .build();
    private static final WatchDirResponse KEEPALIVE = WatchDirResponse.newBuilder()
            .setKeepalive(WatchDirResponse.KeepAlive.getDefaultInstance())
            .build();

    /** What the streaming loop waits for: a change to send, or the end of the call. */
    private sealed interface Item {}

    private record Changed(FilesystemEvent event) implements Item {}

    private enum Stop implements Item {
        INSTANCE
    }

    private final WatchEvents events;

    public WatchStreams(EntryInfos entries) {
        this.events = new WatchEvents(entries);
    }

    /**
     * Streams changes under {@code dir} until the call ends.
     *
     * @throws ConnectException {@code not_found} for a missing path, {@code invalid_argument} for a non-directory
     */
    public void stream(Path dir, WatchDirRequest request, CallContext context, StreamSink<WatchDirResponse> sink) {
        WatchTargets.requireWatchable(dir, request.getAllowNetworkMounts());
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        boolean includeEntry = request.getIncludeEntry();
        DirectoryWatcher watcher =
                start(dir, request.getRecursive(), e -> queue.add(new Changed(events.toProto(e, includeEntry))));
        try {
            context.onCancel(() -> queue.add(Stop.INSTANCE));
            sink.send(START);
            pump(queue, keepaliveInterval(context), context, sink);
        } catch (StreamSink.StreamClosedException e) {
            // the client went away; releasing the watch is all that is left to do
        } finally {
            watcher.close();
        }
    }

    private static DirectoryWatcher start(Path dir, boolean recursive, Consumer<WatchEvent> listener) {
        try {
            return DirectoryWatcher.start(dir, recursive, listener);
        } catch (IOException e) {
            throw ConnectException.internal("watch " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void pump(
            BlockingQueue<Item> queue, Duration keepalive, CallContext context, StreamSink<WatchDirResponse> sink) {
        try {
            while (!context.isCancelled() && !sink.isClosed()) {
                switch (queue.poll(keepalive.toMillis(), TimeUnit.MILLISECONDS)) {
                    case null -> sink.send(KEEPALIVE);
                    case Stop _ -> {
                        return;
                    }
                    case Changed changed ->
                        sink.send(WatchDirResponse.newBuilder()
                                .setFilesystem(changed.event())
                                .build());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Duration keepaliveInterval(CallContext context) {
        return context.header(KEEPALIVE_HEADER)
                .flatMap(WatchStreams::positiveSeconds)
                .orElse(DEFAULT_KEEPALIVE);
    }

    private static Optional<Duration> positiveSeconds(String text) {
        try {
            long seconds = Long.parseLong(text.trim());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
