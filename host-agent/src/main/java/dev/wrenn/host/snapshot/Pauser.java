package dev.wrenn.host.snapshot;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses a running VM into {@code snapshots/<sandbox-id>/}: freeze the vCPUs, save device state (guest RAM stays
 * in the VM's shared RAM file, which becomes the snapshot's {@code ram}), stop the VMM, move RAM file and disk
 * overlay into the snapshot, commit. If saving fails the VM is thawed and keeps running, and the half-written
 * directory is removed; no meta.json, so no valid snapshot.
 */
public final class Pauser {
    private static final Logger log = LoggerFactory.getLogger(Pauser.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final SnapshotStore store;
    private final Duration timeout;

    public Pauser(SnapshotStore store, Duration timeout) {
        this.store = store;
        this.timeout = timeout;
    }

    public Pauser(SnapshotStore store) {
        this(store, DEFAULT_TIMEOUT);
    }

    /**
     * Pauses {@code vm} (started from {@code spec}) into the snapshot of {@code sandboxId}. On success the VMM has
     * exited and the sandbox's RAM file and disk overlay have moved into the snapshot.
     */
    public Snapshot pause(String sandboxId, Vmm vm, VmSpec spec) {
        return pause(sandboxId, vm, spec, Map.of());
    }

    /** The same, keeping {@code attributes} in the snapshot's meta.json (see {@link SnapshotMeta#attributes()}). */
    public Snapshot pause(String sandboxId, Vmm vm, VmSpec spec, Map<String, String> attributes) {
        SnapshotFiles files = store.prepare(store.pausedFiles(sandboxId));
        StateFile saved = saveOrKeepRunning(sandboxId, vm, files);
        vm.stop(Duration.ofSeconds(5));
        try {
            Files.move(saved.path(), files.state(), StandardCopyOption.ATOMIC_MOVE);
            if (!saved.includesMemory()) {
                Files.move(spec.ramFile(), files.ram(), StandardCopyOption.ATOMIC_MOVE);
            }
            if (spec.rootDisk() != null) {
                Files.move(spec.rootDisk(), files.disk(), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            // The VMM is gone: the files stay where they are, uncommitted, for the caller to destroy.
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "pausing sandbox %s: state saved but moving its files into %s failed: %s"
                            .formatted(sandboxId, files.dir(), e.getMessage()),
                    e);
        }
        SnapshotMeta meta = SnapshotMeta.of(sandboxId, spec, saved.includesMemory(), null, attributes);
        store.commit(files, meta);
        return new Snapshot(files, meta);
    }

    private StateFile saveOrKeepRunning(String sandboxId, Vmm vm, SnapshotFiles files) {
        Path partial = files.dir().resolve("state.partial");
        try {
            vm.pause();
            return vm.saveState(partial, timeout);
        } catch (RuntimeException e) {
            String outcome = keepRunning(sandboxId, vm);
            SnapshotStore.deleteTree(files.dir());
            ErrorCode code = e instanceof HostAgentException h ? h.code() : ErrorCode.INTERNAL;
            throw new HostAgentException(
                    code, "pausing sandbox %s failed, %s: %s".formatted(sandboxId, outcome, e.getMessage()), e);
        }
    }

    /** Thaws the VM after a failed save, so a failed pause costs the user nothing. */
    private static String keepRunning(String sandboxId, Vmm vm) {
        if (!vm.isAlive()) {
            return "its VM process is gone";
        }
        try {
            vm.resume();
            return "the VM keeps running";
        } catch (RuntimeException resumeFailure) {
            if (!vm.isAlive()) {
                return "its VM process is gone";
            }
            log.warn("sandbox {}: could not resume after a failed pause: {}", sandboxId, resumeFailure.getMessage());
            return "and resuming the VM failed too (" + resumeFailure.getMessage() + ")";
        }
    }
}
