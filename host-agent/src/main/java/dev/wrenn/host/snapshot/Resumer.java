package dev.wrenn.host.snapshot;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import dev.wrenn.host.vmm.VmmFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Resumes a paused sandbox: a new VMM on the snapshot's RAM file (shared, so the guest's pages load lazily from
 * it) and disk, started to receive state, loads the saved device state and continues. The snapshot is consumed:
 * its RAM file and disk move back into the VM's directory and the running guest changes them. If anything fails
 * before the guest runs, the files move back and the snapshot is committed again, unchanged.
 */
public final class Resumer {
    private final SnapshotStore store;
    private final VmmFactory vmms;
    private final Duration timeout;

    public Resumer(SnapshotStore store, VmmFactory vmms, Duration timeout) {
        this.store = store;
        this.vmms = vmms;
        this.timeout = timeout;
    }

    public Resumer(SnapshotStore store, VmmFactory vmms) {
        this(store, vmms, Pauser.DEFAULT_TIMEOUT);
    }

    /** Resumes the snapshot of {@code sandboxId} at {@code where}; returns the running VMM and its spec. */
    public RestoredVm resume(String sandboxId, VmPlacement where) {
        Snapshot snapshot = store.paused(sandboxId)
                .orElseThrow(() -> new HostAgentException(
                        ErrorCode.NOT_FOUND, "resuming sandbox %s: it has no paused snapshot".formatted(sandboxId)));
        VmSpec spec = snapshot.meta().spec(where, snapshot.meta().hasDisk() ? where.disk() : null);
        store.uncommit(snapshot.files());
        try {
            moveIn(snapshot, spec);
        } catch (IOException e) {
            throw restoreFailed(sandboxId, snapshot, spec, e);
        }
        Vmm vm = vmms.create(spec.asIncoming());
        try {
            vm.start();
            vm.loadState(snapshot.stateFile(), timeout);
            vm.resume();
        } catch (RuntimeException e) {
            vm.stop(Duration.ofSeconds(5));
            throw restoreFailed(sandboxId, snapshot, spec, e);
        }
        SnapshotStore.deleteTree(snapshot.files().dir());
        return new RestoredVm(vm, spec);
    }

    private static void moveIn(Snapshot snapshot, VmSpec spec) throws IOException {
        Files.createDirectories(spec.vmDir());
        // A RAM image inside the state is loaded into a fresh file, which the sandbox owns from now on.
        Files.deleteIfExists(spec.ramFile());
        if (!snapshot.meta().memoryInState()) {
            Files.move(snapshot.files().ram(), spec.ramFile(), StandardCopyOption.ATOMIC_MOVE);
        }
        if (spec.rootDisk() != null) {
            Files.move(snapshot.files().disk(), spec.rootDisk(), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Puts the files back and re-commits: the guest never ran, so the snapshot is exactly as it was. */
    private HostAgentException restoreFailed(String sandboxId, Snapshot snapshot, VmSpec spec, Exception cause) {
        String kept = "the snapshot is kept";
        try {
            moveBack(
                    snapshot.files(),
                    spec.ramFile(),
                    snapshot.files().ram(),
                    !snapshot.meta().memoryInState());
            moveBack(snapshot.files(), spec.rootDisk(), snapshot.files().disk(), spec.rootDisk() != null);
            store.commit(snapshot.files(), snapshot.meta());
        } catch (IOException | RuntimeException e) {
            kept = "and restoring the snapshot failed too (" + e.getMessage() + ")";
        }
        ErrorCode code = cause instanceof HostAgentException h ? h.code() : ErrorCode.INTERNAL;
        return new HostAgentException(
                code, "resuming sandbox %s failed, %s: %s".formatted(sandboxId, kept, cause.getMessage()), cause);
    }

    private static void moveBack(SnapshotFiles files, Path from, Path to, boolean applies) throws IOException {
        if (applies && from != null && Files.exists(from) && !Files.exists(to)) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
