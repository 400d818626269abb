package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.GuestEndpoint;
import dev.wrenn.host.guest.GuestInitializer;
import dev.wrenn.host.guest.GuestPace;
import dev.wrenn.host.guest.GuestReadiness;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.EgressPolicy;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.oci.BuildLog;
import dev.wrenn.host.oci.Cancellation;
import dev.wrenn.host.oci.ImageBuilder;
import dev.wrenn.host.oci.PreparedImage;
import dev.wrenn.host.oci.RegistryMirrors;
import dev.wrenn.host.snapshot.Cloner;
import dev.wrenn.host.snapshot.Pauser;
import dev.wrenn.host.snapshot.Resumer;
import dev.wrenn.host.snapshot.SnapshotStore;
import dev.wrenn.host.snapshot.TemplateMaker;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.host.vmm.ConsoleRotation;
import dev.wrenn.host.vmm.VmExit;
import dev.wrenn.host.vmm.Vmm;
import dev.wrenn.host.vmm.VmmFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandboxes of this host, running or paused. A create clones a snapshot template (a caller's, or for {@code base}
 * the agent's own {@link BaseTemplates}) or, failing that, cold-boots the image; then the guest gets its token, env
 * vars, clock and randomness through /init. Pause, resume and templates are {@link SnapshotOperations}. A VMM that
 * dies on its own has its run's resources released at once; the sandbox stays listed as STOPPED, with the reason,
 * until it is destroyed. Paused sandboxes stay listed (PAUSED, no host IP) and survive an agent restart.
 */
public final class SandboxManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SandboxManager.class);
    /** Crash points (tests only, see {@link CrashPoints}): a create's VM runs but is not yet listed as running. */
    public static final String CRASH_CREATE_VM_STARTED = "create.vm-started";
    /** A destroy has stopped the VM and released its network, and not yet removed its snapshot or entry. */
    public static final String CRASH_DESTROY_VM_STOPPED = "destroy.vm-stopped";

    private final SlotAllocator slots;
    private final GuestReadiness readiness;
    private final GuestInitializer initializer;
    private final Duration readyTimeout;
    /** Scales the boot wait with the host's load (a guest under an oversubscribed TCG host is slow, not broken). */
    private final GuestPace pace = GuestPace.ofHost();

    private final ImageStore images;
    private final SandboxLimits limits;
    private final SnapshotStore store;
    private final VmLauncher launcher;
    private final Cloner cloner;
    private final BaseTemplates baseTemplates;
    private final SnapshotOperations snapshots;
    private final Map<String, Sandbox> boxes = new ConcurrentHashMap<>();
    private final TemplateCatalog templates;
    private final ImageTemplates imageTemplates;
    private final java.nio.file.Path ociDir;

    private InactivityReaper reaper;
    private final ConsoleRotation consoles;

    public SandboxManager(
            DataDir dataDir,
            SlotAllocator slots,
            SandboxNetwork network,
            QemuImg qemuImg,
            VmmFactory vmms,
            GuestReadiness readiness,
            Duration readyTimeout) {
        this(dataDir, slots, network, qemuImg, vmms, readiness, GuestInitializer.NONE, readyTimeout);
    }

    /** @param initializer runs once the guest is ready, before create returns; its failure fails the create */
    public SandboxManager(
            DataDir dataDir,
            SlotAllocator slots,
            SandboxNetwork network,
            QemuImg qemuImg,
            VmmFactory vmms,
            GuestReadiness readiness,
            GuestInitializer initializer,
            Duration readyTimeout) {
        this(
                dataDir,
                slots,
                network,
                qemuImg,
                vmms,
                readiness,
                initializer,
                readyTimeout,
                new ImageStore(dataDir.images()),
                SandboxLimits.NONE);
    }

    public SandboxManager(
            DataDir dataDir,
            SlotAllocator slots,
            SandboxNetwork network,
            QemuImg qemuImg,
            VmmFactory vmms,
            GuestReadiness readiness,
            Duration readyTimeout,
            ImageStore images,
            SandboxLimits limits) {
        this(dataDir, slots, network, qemuImg, vmms, readiness, GuestInitializer.NONE, readyTimeout, images, limits);
    }

    public SandboxManager(
            DataDir dataDir,
            SlotAllocator slots,
            SandboxNetwork network,
            QemuImg qemuImg,
            VmmFactory vmms,
            GuestReadiness readiness,
            GuestInitializer initializer,
            Duration readyTimeout,
            ImageStore images,
            SandboxLimits limits) {
        this.slots = slots;
        this.readiness = readiness;
        this.initializer = initializer;
        this.readyTimeout = readyTimeout;
        this.images = images;
        this.limits = limits;
        this.store = new SnapshotStore(dataDir.root());
        this.ociDir = dataDir.root().resolve("oci");
        // A template built from an image owns that image's disk: it goes with the template.
        this.templates = new TemplateCatalog(store, boxes, this::templateDeleted);
        this.launcher = new VmLauncher(dataDir, slots, network, qemuImg, vmms, readiness, readyTimeout);
        this.consoles = new ConsoleRotation(dataDir.sandboxes());
        this.cloner = new Cloner(store, vmms, qemuImg);
        Pauser pauser = new Pauser(store);
        TemplateMaker maker = new TemplateMaker(store, qemuImg, templates::publish);
        this.baseTemplates =
                new BaseTemplates(store, launcher, pauser, maker, initializer, readyTimeout, templates::inUse);
        this.snapshots =
                new SnapshotOperations(store, launcher, pauser, new Resumer(store, vmms), maker, initializer, this);
        this.imageTemplates = new ImageTemplates(
                store,
                launcher,
                pauser,
                maker,
                initializer,
                readyTimeout,
                images,
                limits,
                new ImageBuilder(ociDir, RegistryMirrors.none()));
    }

    /** Registry mirrors for image builds ({@code --registry-mirror}); call before serving. */
    public void useRegistryMirrors(RegistryMirrors mirrors) {
        imageTemplates.useBuilder(new ImageBuilder(ociDir, mirrors));
    }

    private void templateDeleted(String name) {
        if (!imageTemplates.isBuilding(name)) {
            imageTemplates.builder().discard(name);
        }
    }

    /**
     * BuildImageTemplate: makes template {@code request.templateId()} from a container image (or Wrenn's base for
     * {@code e2bdev/base}); log lines go to {@code log} as the build runs. ALREADY_EXISTS when the id exists or is
     * being built; a failure or a cancel leaves nothing behind.
     */
    public PreparedImage buildImageTemplate(ImageBuildRequest request, BuildLog log, Cancellation cancellation) {
        return imageTemplates.build(request, log, cancellation);
    }

    public SandboxSummary create(SandboxRequest request) {
        return create(request, CreateOrigin.of(request, store, images, limits, baseTemplates));
    }

    /**
     * Boots the image of {@code request.template()} cold even where a base template exists: for the benchmark's cold
     * boot figure, which is also what a create costs when its base template cannot be made.
     */
    public SandboxSummary createColdBoot(SandboxRequest request) {
        return create(request, CreateOrigin.coldBoot(request, images, limits));
    }

    private SandboxSummary create(SandboxRequest request, CreateOrigin origin) {
        Sandbox sandbox = register(request, origin);
        synchronized (sandbox.lock()) {
            try {
                VmRun run = origin.template() == null
                        ? coldBoot(sandbox, origin, request.envVars())
                        : launcher.clone(
                                sandbox.id(),
                                cloner,
                                origin.template(),
                                restoredInit(sandbox, origin, request),
                                sandbox.egress());
                CrashPoints.reach(CRASH_CREATE_VM_STARTED);
                sandbox.startRun(run);
                sandbox.moveTo(VmState.RUNNING);
                watchExit(sandbox, run.vmm());
                log.info(
                        "sandbox {} running at {} ({})",
                        sandbox.id(),
                        run.slot().hostIp(),
                        origin.describe());
                return sandbox.summary();
            } catch (RuntimeException e) {
                sandbox.moveTo(VmState.FAILED);
                endRun(sandbox);
                boxes.remove(sandbox.id(), sandbox);
                throw e instanceof HostAgentException h && h.code() != ErrorCode.INTERNAL
                        ? h
                        : new HostAgentException(
                                ErrorCode.INTERNAL, "creating sandbox " + sandbox.id() + ": " + e.getMessage(), e);
            }
        }
    }

    private Sandbox register(SandboxRequest request, CreateOrigin origin) {
        Sandbox sandbox = Sandbox.starting(request, origin.template(), origin.vcpus(), origin.memoryMb());
        templates.sharedUse().lock();
        try {
            if (origin.template() != null && store.template(origin.template()).isEmpty()) {
                throw new HostAgentException(
                        ErrorCode.NOT_FOUND, "template " + origin.template() + " was deleted meanwhile");
            }
            if (boxes.putIfAbsent(request.sandboxId(), sandbox) != null) {
                throw new HostAgentException(
                        ErrorCode.ALREADY_EXISTS, "sandbox " + request.sandboxId() + " already exists");
            }
        } finally {
            templates.sharedUse().unlock();
        }
        return sandbox;
    }

    /** A cold boot's guest gets its /init once it answers /health. */
    private VmRun coldBoot(Sandbox sandbox, CreateOrigin origin, Map<String, String> envVars) {
        VmRun run =
                launcher.coldBoot(sandbox.id(), origin.image(), origin.vcpus(), origin.memoryMb(), sandbox.egress());
        try {
            initializer.initialize(
                    new GuestEndpoint(sandbox.id(), run.slot().hostIp(), sandbox.accessToken()),
                    envVars,
                    pace.scale(readyTimeout));
        } catch (RuntimeException e) {
            run.cleanup().unwind();
            throw e;
        }
        return run;
    }

    /** A clone's /init is its readiness check: a new token, authorized by the one the template's guest holds. */
    private RestoredGuestInit restoredInit(Sandbox sandbox, CreateOrigin origin, SandboxRequest request) {
        return new RestoredGuestInit(
                initializer, sandbox.id(), sandbox.accessToken(), origin.trustedToken(), request.envVars());
    }

    /** Stops and removes a sandbox, its VM and its snapshot; an unknown id is not an error (it may be gone already). */
    public void destroy(String sandboxId) {
        Sandbox sandbox = boxes.get(sandboxId);
        if (sandbox == null) {
            return;
        }
        synchronized (sandbox.lock()) {
            if (boxes.get(sandboxId) != sandbox) {
                return;
            }
            if (sandbox.state() != VmState.STOPPED) {
                sandbox.moveTo(VmState.STOPPING);
            }
            List<CleanupStack.Failure> failures = new ArrayList<>(endRun(sandbox));
            CrashPoints.reach(CRASH_DESTROY_VM_STOPPED);
            try {
                store.deletePaused(sandboxId);
            } catch (HostAgentException e) {
                failures.add(new CleanupStack.Failure("snapshot of " + sandboxId, e));
            }
            if (sandbox.state() == VmState.STOPPING) {
                sandbox.moveTo(failures.isEmpty() ? VmState.STOPPED : VmState.FAILED);
            }
            boxes.remove(sandboxId, sandbox);
            if (!failures.isEmpty()) {
                throw new HostAgentException(
                        ErrorCode.INTERNAL, "destroying sandbox " + sandboxId + ": " + describe(failures));
            }
        }
    }

    public SandboxSummary get(String sandboxId) {
        return find(sandboxId).summary();
    }

    /** Checks the sandbox is running and its guest answers now; counts as activity for the inactivity reaper. */
    public void ping(String sandboxId, Duration timeout) {
        Sandbox sandbox = running(sandboxId);
        readiness.await(sandbox.slot().hostIp(), timeout);
        sandbox.touch();
    }

    /**
     * How to reach a running sandbox's guest agent, for exec and file calls; counts as activity for the inactivity
     * reaper. NOT_FOUND for an unknown sandbox, FAILED_PRECONDITION for one that is not running.
     */
    public GuestEndpoint guest(String sandboxId) {
        Sandbox sandbox = running(sandboxId);
        sandbox.touch();
        return endpoint(sandbox);
    }

    /** As {@link #guest(String)} without counting as activity: a periodic metrics sample is nobody using it. */
    public GuestEndpoint guestQuietly(String sandboxId) {
        return endpoint(running(sandboxId));
    }

    /** Records activity (a long exec stream ending, say); an unknown sandbox is ignored, it may be gone already. */
    public void markActive(String sandboxId) {
        Sandbox sandbox = boxes.get(sandboxId);
        if (sandbox != null) {
            sandbox.touch();
        }
    }

    /** Every sandbox this host knows, oldest first: running, paused, and stopped or failed ones with their reason. */
    public List<SandboxSummary> list() {
        return boxes.values().stream()
                .map(Sandbox::summary)
                .sorted(Comparator.comparing(SandboxSummary::createdAt))
                .toList();
    }

    /**
     * Freezes a running sandbox into its snapshot (memory, device state, disk) and frees its VMM, CPU and network
     * slot. A failed pause leaves it running when its VM survived, else FAILED with the reason.
     */
    public SandboxSummary pause(String sandboxId) {
        return snapshots.pause(find(sandboxId));
    }

    /**
     * Resumes a paused sandbox on a new VMM and (possibly another) network slot, with the same access token; its guest
     * gets the host's clock and fresh randomness. {@code timeoutSec} 0 keeps the sandbox's inactivity timeout.
     */
    public SandboxSummary resume(String sandboxId, int timeoutSec) {
        return snapshots.resume(find(sandboxId), timeoutSec);
    }

    /**
     * The same, with the sandbox's egress rules as the caller keeps them (the control plane is their record: a
     * restarted agent that listed the sandbox again from its snapshot may hold older ones); null keeps the agent's.
     */
    public SandboxSummary resume(String sandboxId, int timeoutSec, EgressPolicy egress) {
        Sandbox sandbox = find(sandboxId);
        if (egress != null) {
            synchronized (sandbox.lock()) {
                requirePausedOrRunning(sandbox);
                sandbox.egress(egress);
            }
        }
        return snapshots.resume(sandbox, timeoutSec);
    }

    /**
     * Replaces a sandbox's egress rules. A running one's apply at once, in one nft transaction (its open connections
     * to a newly denied address are cut at their next packet); a paused one's when it resumes.
     */
    public SandboxSummary updateEgress(String sandboxId, EgressPolicy egress) {
        Sandbox sandbox = find(sandboxId);
        synchronized (sandbox.lock()) {
            requirePausedOrRunning(sandbox);
            if (sandbox.state() == VmState.RUNNING) {
                launcher.updateEgress(sandbox.slot(), egress);
            }
            sandbox.egress(egress);
            log.info("sandbox {} egress rules now {}", sandboxId, egress.encode());
            return sandbox.summary();
        }
    }

    private static void requirePausedOrRunning(Sandbox sandbox) {
        if (sandbox.state() != VmState.RUNNING && sandbox.state() != VmState.PAUSED) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "sandbox " + sandbox.id() + " is " + sandbox.state().name().toLowerCase(java.util.Locale.ROOT)
                            + "; its network rules change only while it runs or is paused");
        }
    }

    /** Makes template {@code name} of a sandbox, pausing it first if it runs; the sandbox stays paused. */
    public TemplateSummary createSnapshot(String sandboxId, String name) {
        return createSnapshot(sandboxId, name, false);
    }

    /**
     * The same; with {@code replace}, an existing template of that name is replaced in one atomic step once the new
     * one is on disk (refused, FAILED_PRECONDITION, while sandboxes or templates depend on the old one).
     */
    public TemplateSummary createSnapshot(String sandboxId, String name, boolean replace) {
        return snapshots.createTemplate(find(sandboxId), name, replace);
    }

    /** The callers' templates on this host, committed and on disk (the agent's own {@code _base-*} ones left out). */
    public List<TemplateInfo> listTemplates() {
        return templates.list();
    }

    /**
     * Deletes a template's files. Refused (FAILED_PRECONDITION, naming them) while sandboxes or other templates
     * depend on it: a clone's disk is an overlay over the template's disk, so deleting it would break every clone.
     * An unknown name is not an error.
     */
    public void deleteSnapshot(String name) {
        templates.delete(name);
    }

    /** Ids of the sandboxes the inactivity reaper paused since the last call; each id is reported once. */
    public List<String> drainAutoPaused() {
        return reaper == null ? List.of() : reaper.drain();
    }

    /** Starts pausing sandboxes idle for longer than their timeout, checking every {@code tick}. */
    public synchronized void startInactivityReaper(Duration tick) {
        if (reaper == null) {
            reaper = InactivityReaper.start(this, tick);
        }
    }

    /**
     * Lists again what an earlier agent left paused in the snapshots directory, and reports (as FAILED, with the
     * reason) pauses and resumes it left half done, whose incomplete files are removed. Call once, before serving.
     */
    /**
     * Makes the base template of the current {@code base} image in this shape unless it exists: what the first
     * {@code base} create would otherwise do while its caller waits (about 20 s under TCG). A create that arrives while
     * this runs waits for the same build instead of starting a second one ({@link BaseTemplates#ensure}).
     *
     * @return the template's name
     */
    public String prewarmBase(int vcpus, int memoryMb) {
        return baseTemplates.ensure(images.resolve(ImageStore.BASE), vcpus, memoryMb);
    }

    /** Whether the base template of the current {@code base} image in this shape exists already. */
    public boolean hasBase(int vcpus, int memoryMb) {
        return store.template(BaseTemplates.name(images.resolve(ImageStore.BASE), vcpus, memoryMb))
                .isPresent();
    }

    public List<String> recover() {
        imageTemplates.builder().sweep(name -> store.template(name).isPresent());
        return new SnapshotRecovery(store).recover(boxes);
    }

    /** Destroys every running sandbox; paused ones stay on disk for the next start. */
    @Override
    public void close() {
        consoles.close();
        InactivityReaper stopping;
        synchronized (this) {
            stopping = reaper;
            reaper = null;
        }
        if (stopping != null) {
            stopping.close();
        }
        for (Sandbox sandbox : List.copyOf(boxes.values())) {
            if (sandbox.state() == VmState.PAUSED) {
                continue;
            }
            try {
                destroy(sandbox.id());
            } catch (HostAgentException e) {
                log.warn("shutdown: {}", e.getMessage());
            }
        }
    }

    /** Idle running sandboxes past their timeout at {@code now}, for the reaper. */
    List<String> idleAt(Instant now) {
        return boxes.values().stream()
                .filter(s -> s.state() == VmState.RUNNING && s.timeoutSec() > 0)
                .filter(s -> !s.lastActiveAt().plusSeconds(s.timeoutSec()).isAfter(now))
                .map(Sandbox::id)
                .toList();
    }

    Sandbox find(String sandboxId) {
        Sandbox sandbox = boxes.get(sandboxId);
        if (sandbox == null) {
            throw new HostAgentException(ErrorCode.NOT_FOUND, "sandbox " + sandboxId + " not found");
        }
        return sandbox;
    }

    private Sandbox running(String sandboxId) {
        Sandbox sandbox = find(sandboxId);
        if (sandbox.state() != VmState.RUNNING) {
            throw notRunning(sandbox);
        }
        return sandbox;
    }

    static HostAgentException notRunning(Sandbox sandbox) {
        return new HostAgentException(
                ErrorCode.FAILED_PRECONDITION,
                "sandbox %s is %s%s"
                        .formatted(
                                sandbox.id(),
                                sandbox.state().name().toLowerCase(Locale.ROOT),
                                sandbox.stopReason().isEmpty() ? "" : ": " + sandbox.stopReason()));
    }

    static GuestEndpoint endpoint(Sandbox sandbox) {
        return new GuestEndpoint(sandbox.id(), sandbox.slot().hostIp(), sandbox.accessToken());
    }

    /** Every VMM a sandbox runs on (the first, and any a resume starts) is watched, so a crash is noticed. */
    void watchExit(Sandbox sandbox, Vmm vmm) {
        vmm.onExit()
                .thenAcceptAsync(
                        exit -> onVmmExit(sandbox, vmm, exit),
                        task -> Thread.ofVirtual()
                                .name("vmm-exit-" + sandbox.id())
                                .start(task));
    }

    /** The VMM ended on its own (crash, OOM kill, kill from outside): release its run, keep the record. */
    private void onVmmExit(Sandbox sandbox, Vmm exited, VmExit exit) {
        synchronized (sandbox.lock()) {
            if (sandbox.state() != VmState.RUNNING || sandbox.vmm() != exited) {
                // An intended stop (destroy, pause), an operation that handles the failure itself, or a VMM the
                // sandbox no longer runs on.
                return;
            }
            String reason = "QEMU %s; serial console:\n%s"
                    .formatted(exit.describe(), launcher.console(sandbox.id()).tail());
            log.warn("sandbox {} stopped on its own: {}", sandbox.id(), reason);
            sandbox.stoppedBecause(reason);
            sandbox.moveTo(VmState.STOPPING);
            List<CleanupStack.Failure> failures = endRun(sandbox);
            sandbox.moveTo(failures.isEmpty() ? VmState.STOPPED : VmState.FAILED);
        }
    }

    /** Unwinds the sandbox's current run, if any; returns what failed. */
    static List<CleanupStack.Failure> endRun(Sandbox sandbox) {
        VmRun run = sandbox.run();
        if (run == null) {
            return List.of();
        }
        List<CleanupStack.Failure> failures = run.cleanup().unwind();
        sandbox.endRun();
        return failures;
    }

    private static String describe(List<CleanupStack.Failure> failures) {
        return String.join(
                "; ",
                failures.stream()
                        .map(f -> f.description() + ": " + f.error().getMessage())
                        .toList());
    }
}
