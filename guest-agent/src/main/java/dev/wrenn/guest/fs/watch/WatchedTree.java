package dev.wrenn.guest.fs.watch;

import java.io.IOException;
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
 * The inotify watches of one {@link DirectoryWatcher}: which watch descriptor stands for which directory, named
 * relative to the watched root. Used by a single thread at a time (set up by the starter, then the reader).
 */
final class WatchedTree {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedTree.class);
    static final int EVENT_MASK = LinuxInotify.IN_CREATE
            | LinuxInotify.IN_MOVED_TO
            | LinuxInotify.IN_MODIFY
            | LinuxInotify.IN_DELETE
            | LinuxInotify.IN_DELETE_SELF
            | LinuxInotify.IN_MOVED_FROM
            | LinuxInotify.IN_MOVE_SELF
            | LinuxInotify.IN_ATTRIB;
    static final Path ROOT = Path.of("");

    private final Path root;
    private final int inotifyFd;
    private final Map<Integer, Path> directories = new HashMap<>();
    private int rootWd = -1;

    WatchedTree(Path root, int inotifyFd) {
        this.root = root;
        this.inotifyFd = inotifyFd;
    }

    /** Watches the root itself (following a symlink to it); fails if it is not a directory. */
    void watchRoot() throws IOException {
        rootWd = LinuxInotify.addWatch(inotifyFd, root.toString(), EVENT_MASK | LinuxInotify.IN_ONLYDIR);
        directories.put(rootWd, ROOT);
    }

    boolean isRoot(int wd) {
        return wd == rootWd;
    }

    /** The directory a watch descriptor stands for, or null when it is no longer (or never was) ours. */
    Path directoryOf(int wd) {
        return directories.get(wd);
    }

    /** The kernel dropped the watch (its directory is gone). */
    void forget(int wd) {
        directories.remove(wd);
    }

    /** Watches one directory below the root; a directory that vanished meanwhile is skipped. */
    void watch(Path relative) {
        try {
            int mask = EVENT_MASK | LinuxInotify.IN_ONLYDIR | LinuxInotify.IN_DONT_FOLLOW;
            directories.put(
                    LinuxInotify.addWatch(inotifyFd, root.resolve(relative).toString(), mask), relative);
        } catch (IOException e) {
            LOG.debug("watch of {}: cannot watch {}: {}", root, relative, e.getMessage());
        }
    }

    /**
     * Watches every directory below {@code relative} (not following symlinks), telling {@code found} about each
     * entry met on the way, directories before their contents.
     */
    void watchBelow(Path relative, Consumer<Path> found) {
        Path start = root.resolve(relative);
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(start)) {
                        watch(root.relativize(dir));
                        found.accept(root.relativize(dir));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    found.accept(root.relativize(file));
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

    /** A directory moved within the tree: its watches stay valid, only their names change. */
    void rename(Path from, Path to) {
        directories.replaceAll(
                (wd, dir) -> dir.startsWith(from) && wd != rootWd ? to.resolve(from.relativize(dir)) : dir);
    }

    /** A directory left the tree: stop watching it and everything below it. */
    void unwatch(Path relative) {
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
