package dev.wrenn.guest.fs.watch;

import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.fs.EntryInfos;
import dev.wrenn.protocol.envd.filesystem.FilesystemEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polled watchers of {@code CreateWatcher}/{@code GetWatcherEvents}/{@code RemoveWatcher}: each buffers its
 * events until drained. A watcher nobody drains keeps only the newest {@value #MAX_BUFFERED} events, so a forgotten
 * watcher cannot exhaust the agent's memory.
 */
public final class WatcherRegistry {
    static final int MAX_BUFFERED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(WatcherRegistry.class);

    private final WatchEvents events;
    private final Map<String, PolledWatcher> watchers = new ConcurrentHashMap<>();

    public WatcherRegistry(EntryInfos entries) {
        this.events = new WatchEvents(entries);
    }

    /** Starts watching {@code dir}; returns the new watcher's id. */
    public String create(Path dir, boolean recursive, boolean includeEntry, boolean allowNetworkMounts) {
        WatchTargets.requireWatchable(dir, allowNetworkMounts);
        String id = UUID.randomUUID().toString();
        PolledWatcher polled = new PolledWatcher(id);
        try {
            polled.watcher = DirectoryWatcher.start(dir, recursive, e -> polled.add(events.toProto(e, includeEntry)));
        } catch (IOException e) {
            throw ConnectException.internal("create watcher for " + dir + ": " + e.getMessage(), e);
        }
        watchers.put(id, polled);
        return id;
    }

    /** The events buffered since the last call, oldest first. */
    public List<FilesystemEvent> drain(String id) {
        return require(id).drain();
    }

    /** Stops the watcher and forgets it. */
    public void remove(String id) {
        PolledWatcher polled = watchers.remove(id);
        if (polled == null) {
            throw unknown(id);
        }
        polled.watcher.close();
    }

    /** Stops every watcher (agent shutdown). */
    public void closeAll() {
        watchers.keySet().forEach(id -> {
            PolledWatcher polled = watchers.remove(id);
            if (polled != null) {
                polled.watcher.close();
            }
        });
    }

    private PolledWatcher require(String id) {
        PolledWatcher polled = watchers.get(id);
        if (polled == null) {
            throw unknown(id);
        }
        return polled;
    }

    private static ConnectException unknown(String id) {
        return ConnectException.notFound("watcher '" + id + "' not found");
    }

    private static final class PolledWatcher {
        private final String id;
        private final ArrayDeque<FilesystemEvent> buffer = new ArrayDeque<>();
        private volatile DirectoryWatcher watcher;
        private boolean overflowReported;

        PolledWatcher(String id) {
            this.id = id;
        }

        synchronized void add(FilesystemEvent event) {
            if (buffer.size() == MAX_BUFFERED) {
                buffer.removeFirst();
                if (!overflowReported) {
                    overflowReported = true;
                    LOG.warn("watcher {}: more than {} undrained events, dropping the oldest", id, MAX_BUFFERED);
                }
            }
            buffer.addLast(event);
        }

        synchronized List<FilesystemEvent> drain() {
            List<FilesystemEvent> drained = List.copyOf(buffer);
            buffer.clear();
            overflowReported = false;
            return drained;
        }
    }
}
