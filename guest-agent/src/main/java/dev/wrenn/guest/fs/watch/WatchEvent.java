package dev.wrenn.guest.fs.watch;

import dev.wrenn.protocol.envd.filesystem.EventType;
import java.nio.file.Path;

/**
 * One change seen by a {@link DirectoryWatcher}.
 *
 * @param name the changed entry relative to the watched directory ({@code nested/file.txt}); empty for the watched
 *     directory itself
 * @param type what happened
 * @param path the changed entry's absolute path
 */
public record WatchEvent(String name, EventType type, Path path) {}
