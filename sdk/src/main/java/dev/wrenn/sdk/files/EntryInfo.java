package dev.wrenn.sdk.files;

import dev.wrenn.sdk.internal.envd.filesystem.FileType;
import java.time.Instant;
import java.util.Map;

/**
 * A file or directory in the sandbox ({@link Files#getInfo}, {@link Files#list}).
 *
 * @param name its name
 * @param type file, directory or symlink
 * @param path its absolute path
 * @param size its size in bytes
 * @param mode its permission bits ({@code 0644})
 * @param permissions as {@code ls} shows them ({@code -rw-r--r--})
 * @param owner the owning user
 * @param group the owning group
 * @param modifiedTime when it was last modified
 * @param symlinkTarget the resolved target of a symlink, or null
 * @param metadata metadata written with the file
 */
public record EntryInfo(
        String name,
        dev.wrenn.sdk.files.FileType type,
        String path,
        long size,
        int mode,
        String permissions,
        String owner,
        String group,
        Instant modifiedTime,
        String symlinkTarget,
        Map<String, String> metadata) {

    static EntryInfo of(dev.wrenn.sdk.internal.envd.filesystem.EntryInfo e) {
        return new EntryInfo(
                e.getName(),
                type(e.getType()),
                e.getPath(),
                e.getSize(),
                e.getMode(),
                e.getPermissions(),
                e.getOwner(),
                e.getGroup(),
                e.hasModifiedTime()
                        ? Instant.ofEpochSecond(
                                e.getModifiedTime().getSeconds(),
                                e.getModifiedTime().getNanos())
                        : null,
                e.hasSymlinkTarget() ? e.getSymlinkTarget() : null,
                Map.copyOf(e.getMetadataMap()));
    }

    static dev.wrenn.sdk.files.FileType type(FileType t) {
        switch (t) {
            case FILE_TYPE_FILE:
                return dev.wrenn.sdk.files.FileType.FILE;
            case FILE_TYPE_DIRECTORY:
                return dev.wrenn.sdk.files.FileType.DIRECTORY;
            case FILE_TYPE_SYMLINK:
                return dev.wrenn.sdk.files.FileType.SYMLINK;
            default:
                return dev.wrenn.sdk.files.FileType.UNKNOWN;
        }
    }
}
