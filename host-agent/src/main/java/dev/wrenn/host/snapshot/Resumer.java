package dev.wrenn.host.snapshot;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.host.sys.Durable;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import dev.wrenn.host.vmm.VmmFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Resumes a paused sandbox: a new VMM on the snapshot's RAM file (shared, so the guest's pages load lazily from it)
 * and disk, started to receive state, loads the saved device state and continues. The VM's directory gets second
 * names (hard links) for the snapshot's RAM file and disk, so the snapshot stays whole and valid while the VMM starts
 * and loads its state. Its meta.json is removed (synced) just before {@code cont}: from that moment the guest changes
 * those files and the snapshot is consumed. A failure or crash before that point leaves the snapshot exactly as it
 * was; after it the sandbox is running, and a restarted agent reclaims it like any running sandbox.
 */
public final class Resumer {
    /** Crash points, in the order a resume reaches them. */
    public static final String CRASH_FILES_LINKED = "resume.files-linked";

    public static final String CRASH_STATE_LOADED = "resume.state-loaded";
    public static final String CRASH_UNCOMMITTED = "resume.uncommitted";
    public static final String CRASH_RUNNING = "resume.running";

    private final SnapshotStore store;
    private final VmmFactory vmms;
    private final Duration timeout;
    private final boolean keepSnapshot;

    private Resumer(SnapshotStore store, VmmFactory vmms, Duration timeout, boolean keepSnapshot) {
        this.store = store;
        this.vmms = vmms;
        this.timeout = timeout;
        this.keepSnapshot = keepSnapshot;
    }

    public Resumer(SnapshotStore store, VmmFactory vmms, Duration timeout) {
        this(store, vmms, timeout, false);
    }

    public Resumer(SnapshotStore store, VmmFactory vmms) {
        this(store, vmms, Pauser.DEFAULT_TIMEOUT);
    }

    /**
     * A resumer that leaves the snapshot valid: the VM gets a copy of the disk, and only snapshots whose memory is
     * inside the state file (a paused clone: the VM loads it into a RAM file of its own) can be resumed this way. For
     * a resume whose result replaces the snapshot once paused again ({@link Pauser#pauseReplacing}).
     */
    public Resumer keepingSnapshot() {
        return new Resumer(store, vmms, timeout, true);
    }

    /** Resumes the snapshot of {@code sandboxId} at {@code where}; returns the running VMM and its spec. */
    public RestoredVm resume(String sandboxId, VmPlacement where) {
        Snapshot snapshot = store.paused(sandboxId)
                .orElseThrow(() -> new HostAgentException(
                        ErrorCode.NOT_FOUND, "resuming sandbox %s: it has no paused snapshot".formatted(sandboxId)));
        if (keepSnapshot && !snapshot.meta().memoryInState()) {
            throw new IllegalStateException("sandbox " + sandboxId + ": only a paused clone resumes as a copy");
        }
        VmSpec spec = snapshot.meta().spec(where, snapshot.meta().hasDisk() ? where.disk() : null);
        try {
            bringIn(snapshot, spec);
        } catch (IOException | RuntimeException e) {
            throw restoreFailed(sandboxId, snapshot, spec, e);
        }
        CrashPoints.reach(CRASH_FILES_LINKED);
        Vmm vm = vmms.create(spec.asIncoming());
        try {
            vm.start();
            vm.loadState(snapshot.stateFile(), timeout);
            CrashPoints.reach(CRASH_STATE_LOADED);
            consume(snapshot);
            vm.resume();
        } catch (RuntimeException e) {
            vm.stop(Duration.ofSeconds(5));
            throw restoreFailed(sandboxId, snapshot, spec, e);
        }
        CrashPoints.reach(CRASH_RUNNING);
        if (!keepSnapshot) {
            SnapshotStore.deleteTree(snapshot.files().dir());
        }
        return new RestoredVm(vm, spec);
    }

    /** The commit point of a resume: the guest is about to change the snapshot's files. */
    private void consume(Snapshot snapshot) {
        if (!keepSnapshot) {
            store.uncommit(snapshot.files());
            CrashPoints.reach(CRASH_UNCOMMITTED);
        }
    }

    private void bringIn(Snapshot snapshot, VmSpec spec) throws IOException {
        Files.createDirectories(spec.vmDir());
        // A RAM image inside the state is loaded into a fresh file, which the sandbox owns from now on.
        Files.deleteIfExists(spec.ramFile());
        if (!snapshot.meta().memoryInState()) {
            Durable.link(spec.ramFile(), snapshot.files().ram());
        }
        if (spec.rootDisk() != null) {
            Files.deleteIfExists(spec.rootDisk());
            if (keepSnapshot) {
                Command.of(
                                "cp",
                                "--sparse=always",
                                snapshot.files().disk().toString(),
                                spec.rootDisk().toString())
                        .withTimeout(Duration.ofMinutes(10))
                        .run();
            } else {
                Durable.link(spec.rootDisk(), snapshot.files().disk());
            }
        }
    }

    /**
     * Drops the VM's names for the files; the snapshot is re-committed if the failure came after its commit point
     * ({@code cont} failed): the guest did not run.
     */
    private HostAgentException restoreFailed(String sandboxId, Snapshot snapshot, VmSpec spec, Exception cause) {
        String kept = "the snapshot is kept";
        try {
            deleteIfPresent(spec.ramFile());
            deleteIfPresent(spec.rootDisk());
            if (!Files.exists(snapshot.files().meta())) {
                store.commit(snapshot.files(), snapshot.meta());
            }
        } catch (IOException | RuntimeException e) {
            kept = "and keeping the snapshot failed too (" + e.getMessage() + ")";
        }
        ErrorCode code = cause instanceof HostAgentException h ? h.code() : ErrorCode.INTERNAL;
        return new HostAgentException(
                code, "resuming sandbox %s failed, %s: %s".formatted(sandboxId, kept, cause.getMessage()), cause);
    }

    private static void deleteIfPresent(Path path) throws IOException {
        if (path != null) {
            Files.deleteIfExists(path);
        }
    }
}
