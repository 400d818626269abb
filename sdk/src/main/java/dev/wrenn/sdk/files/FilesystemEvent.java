package dev.wrenn.sdk.files;

/**
 * One change under a watched directory ({@link Files#watchDir}).
 *
 * @param name the entry's path relative to the watched directory ({@code nested/file.txt} when recursive)
 * @param type what happened
 */
public record FilesystemEvent(String name, FilesystemEventType type) {}
