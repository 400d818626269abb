package dev.wrenn.host.snapshot;

import java.nio.file.Path;

/**
 * The files of one snapshot directory. A snapshot is valid exactly when {@code meta.json} exists: it is written
 * last, through a temporary file and a rename, so a crash or a failure at any earlier step leaves no valid snapshot.
 */
public record SnapshotFiles(Path dir) {
    /** Guest RAM (sparse; blocks the guest never wrote are holes). Absent when the state holds the memory. */
    public Path ram() {
        return dir.resolve("ram");
    }

    /** Device state from QEMU's migration stream (~60 KB), or device state and RAM for a paused clone. */
    public Path state() {
        return dir.resolve("state");
    }

    /** The qcow2 overlay holding the guest's disk writes, over its base image or its template's disk. */
    public Path disk() {
        return dir.resolve("disk.qcow2");
    }

    public Path meta() {
        return dir.resolve("meta.json");
    }
}
