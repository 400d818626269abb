package dev.wrenn.sdk.files;

/** What happened to an entry under a watched directory. */
public enum FilesystemEventType {
    /** Created. */
    CREATE,
    /** Written. */
    WRITE,
    /** Removed. */
    REMOVE,
    /** Renamed (reported under the old name). */
    RENAME,
    /** Permissions or owner changed. */
    CHMOD,
    /** Unknown to this SDK. */
    UNKNOWN
}
