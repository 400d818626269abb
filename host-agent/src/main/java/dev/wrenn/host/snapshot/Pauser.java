package dev.wrenn.host.snapshot;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.host.sys.Durable;
import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses a running VM into {@code snapshots/<sandbox-id>/}: freeze the vCPUs, save device state (guest RAM stays
 * in the VM's shared RAM file, which becomes the snapshot's {@code ram}), stop the VMM, give RAM file and disk
 * overlay a second name inside the snapshot (hard links: the VM's directory keeps its names until the caller releases
 * it), sync, commit. If saving fails the VM is thawed and keeps running, and the half-written directory is removed;
 * no meta.json, so no valid snapshot. A crash before the commit leaves no snapshot: the sandbox was running, and a
 * restarted agent reclaims running sandboxes.
 */
public final class Pauser {
    private static final Logger log = LoggerFactory.getLogger(Pauser.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Crash points, in the order a pause reaches them; the first, {@code pause.started}: the VM still runs and nothing
     * is saved yet (a QEMU killed there dies mid-pause).
     */
    public static final String CRASH_STARTED = "pause.started";

    public static final String CRASH_STATE_SAVED = "pause.state-saved";

    public static final String CRASH_VM_STOPPED = "pause.vm-stopped";
    public static final String CRASH_FILES_LINKED = "pause.files-linked";
    public static final String CRASH_COMMITTED = "pause.committed";
    /** Crash points of {@link #pauseReplacing}: the new snapshot is committed aside, then exchanged in. */
    public static final String CRASH_NEXT_COMMITTED = "repause.next-committed";

    public static final String CRASH_REPLACED = "repause.replaced";

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
     * exited and the snapshot holds the sandbox's RAM file and disk overlay.
     */
    public Snapshot pause(String sandboxId, Vmm vm, VmSpec spec) {
        return pause(sandboxId, vm, spec, Map.of());
    }

    /** The same, keeping {@code attributes} in the snapshot's meta.json (see {@link SnapshotMeta#attributes()}). */
    public Snapshot pause(String sandboxId, Vmm vm, VmSpec spec, Map<String, String> attributes) {
        return pauseInto(store.pausedFiles(sandboxId), sandboxId, vm, spec, attributes);
    }

    /**
     * Pauses a VM that was resumed from a snapshot left valid ({@link Resumer#keepingSnapshot()}) into a new snapshot
     * made aside ({@code .next-<id>}) and exchanged with the old one in one atomic step: at every moment one of the two
     * is the sandbox's committed snapshot.
     */
    public Snapshot pauseReplacing(String sandboxId, Vmm vm, VmSpec spec, Map<String, String> attributes) {
        // A committed leftover of an earlier attempt whose exchange failed is not this pause's to keep.
        SnapshotStore.deleteTree(store.nextPausedFiles(sandboxId).dir());
        pauseInto(store.nextPausedFiles(sandboxId), sandboxId, vm, spec, attributes);
        CrashPoints.reach(CRASH_NEXT_COMMITTED);
        store.replacePaused(sandboxId, CRASH_REPLACED);
        return store.paused(sandboxId).orElseThrow();
    }

    /** Pauses into {@code target}, which need not be the sandbox's own snapshot directory. */
    Snapshot pauseInto(SnapshotFiles target, String sandboxId, Vmm vm, VmSpec spec, Map<String, String> attributes) {
        SnapshotFiles files = store.prepare(target);
        CrashPoints.reach(CRASH_STARTED);
        StateFile saved = saveOrKeepRunning(sandboxId, vm, files);
        CrashPoints.reach(CRASH_STATE_SAVED);
        vm.stop(Duration.ofSeconds(5));
        CrashPoints.reach(CRASH_VM_STOPPED);
        try {
            Durable.rename(saved.path(), files.state());
            if (!saved.includesMemory()) {
                Durable.link(files.ram(), spec.ramFile());
            }
            if (spec.rootDisk() != null) {
                Durable.link(files.disk(), spec.rootDisk());
            }
        } catch (IOException e) {
            // The VMM is gone: the files stay in the VM's directory, uncommitted, for the caller to destroy.
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "pausing sandbox %s: state saved but linking its files into %s failed: %s"
                            .formatted(sandboxId, files.dir(), e.getMessage()),
                    e);
        }
        CrashPoints.reach(CRASH_FILES_LINKED);
        SnapshotMeta meta = SnapshotMeta.of(sandboxId, spec, saved.includesMemory(), null, attributes);
        store.commit(files, meta);
        CrashPoints.reach(CRASH_COMMITTED);
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
