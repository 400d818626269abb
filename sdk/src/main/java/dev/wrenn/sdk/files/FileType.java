package dev.wrenn.sdk.files;

/** What an entry is. A symlink is reported with its target's type when the target exists. */
public enum FileType {
    /** A regular file. */
    FILE,
    /** A directory. */
    DIRECTORY,
    /** A symbolic link whose target does not exist. */
    SYMLINK,
    /** Anything else. */
    UNKNOWN
}
