package dev.wrenn.guest.fs.watch;

import dev.wrenn.protocol.envd.filesystem.EventType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one directory (and, when recursive, every directory below it, including ones created later) through its
 * own inotify instance, so closing the watcher releases all of its kernel watches at once. A platform thread reads
 * the events (it blocks in {@code poll}) and hands them to the listener in order.
 *
 * <p>Each change is reported once: a subdirectory's own "deleted"/"moved"/"attributes changed" notifications are
 * dropped because its parent reports the same change under the subdirectory's name. Files created inside a new
 * subdirectory before its watch is in place are not reported (as with any inotify-based watcher).
 */
public final class DirectoryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
    private static final int EVENT_MASK = LinuxInotify.IN_CREATE
            | LinuxInotify.IN_MOVED_TO
            | LinuxInotify.IN_MODIFY
            | LinuxInotify.IN_DELETE
            | LinuxInotify.IN_DELETE_SELF
            | LinuxInotify.IN_MOVED_FROM
            | LinuxInotify.IN_MOVE_SELF
            | LinuxInotify.IN_ATTRIB;
    private static final int HEADER_BYTES = 16;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final Path ROOT = Path.of("");

    private final Path root;
    private final boolean recursive;
    private final Consumer<WatchEvent> listener;
    private final int inotifyFd;
    private final int wakeFd;
    /** Watch descriptor to directory relative to {@link #root}; touched by the reader thread only after start. */
    private final Map<Integer, Path> directories = new HashMap<>();

    private final Thread reader;
    /** Guards {@link #closed} and {@link #descriptorsClosed} so close() never signals a recycled descriptor. */
    private final Object lifecycle = new Object();

    private volatile boolean closed;
    private boolean descriptorsClosed;
    private int rootWd;

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
            watcher.rootWd =
                    LinuxInotify.addWatch(watcher.inotifyFd, root.toString(), EVENT_MASK | LinuxInotify.IN_ONLYDIR);
            watcher.directories.put(watcher.rootWd, ROOT);
            if (recursive) {
                watcher.watchSubdirectories(ROOT);
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
            int nameBytes = buffer.get(ValueLayout.JAVA_INT, offset + 12);
            String name = nameBytes == 0 ? "" : buffer.getString(offset + HEADER_BYTES);
            offset += HEADER_BYTES + nameBytes;
            if (!closed) {
                handle(wd, mask, name);
            }
        }
    }

    private void handle(int wd, int mask, String name) {
        if ((mask & LinuxInotify.IN_Q_OVERFLOW) != 0) {
            LOG.warn("watch of {}: the kernel event queue overflowed, some changes were not reported", root);
            return;
        }
        Path directory = directories.get(wd);
        if (directory == null) {
            return;
        }
        if ((mask & LinuxInotify.IN_IGNORED) != 0) {
            directories.remove(wd);
            return;
        }
        if (name.isEmpty() && wd != rootWd) {
            return; // the parent directory's watch reports this change under the subdirectory's name
        }
        Path relative = name.isEmpty() ? directory : directory.resolve(name);
        if (recursive && (mask & LinuxInotify.IN_ISDIR) != 0) {
            followDirectoryChange(mask, relative);
        }
        EventType type = EventTypes.of(mask);
        if (type != null) {
            deliver(new WatchEvent(relative.toString(), type, root.resolve(relative)));
        }
    }

    /** Keeps watches in step with directories appearing, disappearing or moving inside the watched tree. */
    private void followDirectoryChange(int mask, Path relative) {
        if ((mask & (LinuxInotify.IN_CREATE | LinuxInotify.IN_MOVED_TO)) != 0) {
            watchDirectory(relative);
            watchSubdirectories(relative);
        } else if ((mask & LinuxInotify.IN_MOVED_FROM) != 0) {
            unwatchTree(relative);
        }
    }

    private void deliver(WatchEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("watch of {}: listener failed on {}", root, event, e);
        }
    }

    private void watchSubdirectories(Path relative) {
        try {
            Files.walkFileTree(root.resolve(relative), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root.resolve(relative))) {
                        watchDirectory(root.relativize(dir));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // vanished or unreadable: nothing to watch there
                }
            });
        } catch (IOException e) {
            LOG.debug("watch of {}: cannot walk {}: {}", root, relative, e.toString());
        }
    }

    private void watchDirectory(Path relative) {
        try {
            int mask = EVENT_MASK | LinuxInotify.IN_ONLYDIR | LinuxInotify.IN_DONT_FOLLOW;
            int wd = LinuxInotify.addWatch(inotifyFd, root.resolve(relative).toString(), mask);
            directories.put(wd, relative);
        } catch (IOException e) {
            LOG.debug("watch of {}: cannot watch {}: {}", root, relative, e.getMessage());
        }
    }

    private void unwatchTree(Path relative) {
        Iterator<Map.Entry<Integer, Path>> it = directories.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Integer, Path> entry = it.next();
            if (entry.getKey() != rootWd && entry.getValue().startsWith(relative)) {
                LinuxInotify.removeWatch(inotifyFd, entry.getKey());
                it.remove();
            }
        }
    }
}
