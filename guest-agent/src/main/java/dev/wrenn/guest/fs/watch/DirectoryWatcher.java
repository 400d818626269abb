package dev.wrenn.guest.fs.watch;

import dev.wrenn.protocol.envd.filesystem.EventType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one directory (and, when recursive, every directory below it, including ones created later) through its
 * own inotify instance, so closing the watcher releases all of its kernel watches at once. A platform thread reads
 * the events (it blocks in {@code poll}) and hands them to the listener in order.
 *
 * <p>Each change is reported once: a subdirectory's own "deleted"/"moved"/"attributes changed" notifications are
 * dropped because its parent reports the same change under the subdirectory's name. When a recursive watch sees a
 * new directory, whatever is already inside it when its watch is placed is reported as created too (else
 * {@code mkdir -p a/b} would only ever report {@code a}); an entry created in the instant between placing the watch
 * and looking may therefore be reported twice. A directory moved in from outside is watched, its contents are not
 * reported.
 */
public final class DirectoryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
    private static final int HEADER_BYTES = 16;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path root;
    private final boolean recursive;
    private final Consumer<WatchEvent> listener;
    private final int inotifyFd;
    private final int wakeFd;
    private final WatchedTree tree;

    private final Thread reader;
    /** Guards {@link #closed} and {@link #descriptorsClosed} so close() never signals a recycled descriptor. */
    private final Object lifecycle = new Object();

    private volatile boolean closed;
    private boolean descriptorsClosed;
    /** A directory's "moved from" awaiting its "moved to"; reader thread only. */
    private PendingMove pendingMove;

    private record PendingMove(int cookie, Path from) {}

    private DirectoryWatcher(Path root, boolean recursive, Consumer<WatchEvent> listener) throws IOException {
        this.root = root;
        this.recursive = recursive;
        this.listener = listener;
        this.inotifyFd = LinuxInotify.init();
        try {
            this.wakeFd = LinuxInotify.eventFd();
        } catch (IOException e) {
            LinuxInotify.close(inotifyFd);
            throw e;
        }
        this.tree = new WatchedTree(root, inotifyFd);
        this.reader = Thread.ofPlatform().daemon().name("watch " + root).unstarted(this::readLoop);
    }

    /**
     * Starts watching {@code root}, which must be a directory. Events reach {@code listener} on the watcher's thread.
     *
     * @throws IOException when inotify refuses (for example the per-user watch limit is reached)
     */
    public static DirectoryWatcher start(Path root, boolean recursive, Consumer<WatchEvent> listener)
            throws IOException {
        DirectoryWatcher watcher = new DirectoryWatcher(root, recursive, listener);
        try {
            watcher.tree.watchRoot();
            if (recursive) {
                watcher.tree.watchBelow(WatchedTree.ROOT, found -> {});
            }
        } catch (IOException | RuntimeException e) {
            LinuxInotify.close(watcher.wakeFd);
            LinuxInotify.close(watcher.inotifyFd);
            throw e;
        }
        watcher.reader.start();
        return watcher;
    }

    /** Stops watching and releases the inotify instance; idempotent. Returns once the reader thread has ended. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (!descriptorsClosed) {
                LinuxInotify.signal(wakeFd);
            }
        }
        if (Thread.currentThread() != reader) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
            while (!closed && LinuxInotify.awaitReadable(inotifyFd, wakeFd)) {
                dispatch(buffer, LinuxInotify.read(inotifyFd, buffer));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("watch of {} stopped: {}", root, e.toString());
        } finally {
            synchronized (lifecycle) {
                descriptorsClosed = true;
                LinuxInotify.close(inotifyFd);
                LinuxInotify.close(wakeFd);
            }
        }
    }

    private void dispatch(MemorySegment buffer, int length) {
        int offset = 0;
        while (offset + HEADER_BYTES <= length) {
            int wd = buffer.get(ValueLayout.JAVA_INT, offset);
            int mask = buffer.get(ValueLayout.JAVA_INT, offset + 4);
            int cookie = buffer.get(ValueLayout.JAVA_INT, offset + 8);
            int nameBytes = buffer.get(ValueLayout.JAVA_INT, offset + 12);
            String name = nameBytes == 0 ? "" : buffer.getString(offset + HEADER_BYTES);
            offset += HEADER_BYTES + nameBytes;
            if (!closed) {
                handle(wd, mask, cookie, name);
            }
        }
    }

    private void handle(int wd, int mask, int cookie, String name) {
        if ((mask & LinuxInotify.IN_Q_OVERFLOW) != 0) {
            LOG.warn("watch of {}: the kernel event queue overflowed, some changes were not reported", root);
            return;
        }
        settlePendingMove(mask, cookie);
        Path directory = tree.directoryOf(wd);
        if (directory == null) {
            return;
        }
        if ((mask & LinuxInotify.IN_IGNORED) != 0) {
            tree.forget(wd);
            return;
        }
        if (name.isEmpty() && !tree.isRoot(wd)) {
            return; // the parent directory's watch reports this change under the subdirectory's name
        }
        Path relative = name.isEmpty() ? directory : directory.resolve(name);
        boolean directoryChanged = recursive && (mask & LinuxInotify.IN_ISDIR) != 0;
        if (directoryChanged) {
            followBeforeReporting(mask, cookie, relative);
        }
        EventType type = EventTypes.of(mask);
        if (type != null) {
            deliver(relative, type);
        }
        if (directoryChanged && (mask & LinuxInotify.IN_CREATE) != 0) {
            // mkdir -p and friends fill a new directory before its watch exists: report what is already there
            tree.watchBelow(relative, found -> deliver(found, EventType.EVENT_TYPE_CREATE));
        }
    }

    /**
     * A directory's "moved from" is settled by the next event: its matching "moved to" (the rename stayed inside
     * the tree, so the watches are renamed) or anything else (it left the tree, so its watches go).
     */
    private void settlePendingMove(int mask, int cookie) {
        if (pendingMove != null && !((mask & LinuxInotify.IN_MOVED_TO) != 0 && cookie == pendingMove.cookie())) {
            tree.unwatch(pendingMove.from());
            pendingMove = null;
        }
    }

    private void followBeforeReporting(int mask, int cookie, Path relative) {
        if ((mask & LinuxInotify.IN_CREATE) != 0) {
            tree.watch(relative);
        } else if ((mask & LinuxInotify.IN_MOVED_TO) != 0) {
            if (pendingMove != null) {
                tree.rename(pendingMove.from(), relative);
                pendingMove = null;
            } else {
                tree.watch(relative);
                tree.watchBelow(relative, found -> {});
            }
        } else if ((mask & LinuxInotify.IN_MOVED_FROM) != 0) {
            pendingMove = new PendingMove(cookie, relative);
        }
    }

    private void deliver(Path relative, EventType type) {
        WatchEvent event = new WatchEvent(relative.toString(), type, root.resolve(relative));
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("watch of {}: listener failed on {}", root, event, e);
        }
    }
}
