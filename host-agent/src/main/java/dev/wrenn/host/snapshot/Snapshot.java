package dev.wrenn.host.snapshot;

import dev.wrenn.host.vmm.StateFile;

/** A committed snapshot: a paused sandbox or a template. */
public record Snapshot(SnapshotFiles files, SnapshotMeta meta) {

    public StateFile stateFile() {
        return new StateFile(files.state(), meta.memoryInState());
    }
}
