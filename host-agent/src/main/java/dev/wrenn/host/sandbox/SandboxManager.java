package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.GuestEndpoint;
import dev.wrenn.host.guest.GuestInitializer;
import dev.wrenn.host.guest.GuestReadiness;
import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.vmm.ConsoleLog;
import dev.wrenn.host.vmm.VmExit;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import dev.wrenn.host.vmm.VmmFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sandboxes of this host. A create checks the request and its template's image, then acquires slot,
 * network, files, disk and VMM in that order, pushing each undo as it goes, and returns once the guest is ready; a
 * failure or a destroy unwinds exactly what was acquired. A VMM that dies on its own has its sandbox's resources
 * released at once; the sandbox stays listed as STOPPED, with the reason, until it is destroyed.
 */
public final class SandboxManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SandboxManager.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final DataDir dataDir;
    private final SlotAllocator slots;
    private final SandboxNetwork network;
    private final QemuImg qemuImg;
    private final VmmFactory vmms;
    private final GuestReadiness readiness;
    private final GuestInitializer initializer;
    private final Duration readyTimeout;
    private final ImageStore images;
    private final SandboxLimits limits;
    private final Map<String, Sandbox> boxes = new ConcurrentHashMap<>();

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
        this.images = images;
        this.limits = limits;
        this.dataDir = dataDir;
        this.slots = slots;
        this.network = network;
        this.qemuImg = qemuImg;
        this.vmms = vmms;
        this.readiness = readiness;
        this.initializer = initializer;
        this.readyTimeout = readyTimeout;
    }

    public SandboxSummary create(SandboxRequest request) {
        limits.check(request);
        GuestImage image = images.resolve(request.template());
        Sandbox sandbox = register(request);
        synchronized (sandbox.cleanup()) {
            try {
                acquire(sandbox, image);
                sandbox.moveTo(VmState.RUNNING);
                log.info(
                        "sandbox {} running at {}", sandbox.id(), sandbox.slot().hostIp());
                return sandbox.summary();
            } catch (RuntimeException e) {
                sandbox.moveTo(VmState.FAILED);
                release(sandbox);
                throw e instanceof HostAgentException h && h.code() != ErrorCode.INTERNAL
                        ? h
                        : new HostAgentException(
                                ErrorCode.INTERNAL, "creating sandbox " + sandbox.id() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Stops and removes a sandbox; an unknown id is not an error (it may be gone already). */
    public void destroy(String sandboxId) {
        Sandbox sandbox = boxes.get(sandboxId);
        if (sandbox == null) {
            return;
        }
        synchronized (sandbox.cleanup()) {
            if (sandbox.state() == VmState.STOPPED) {
                boxes.remove(sandboxId, sandbox); // a VM that stopped on its own: only its record is left
                return;
            }
            sandbox.moveTo(VmState.STOPPING);
            List<CleanupStack.Failure> failures = release(sandbox);
            if (!failures.isEmpty()) {
                throw new HostAgentException(
                        ErrorCode.INTERNAL, "destroying sandbox " + sandboxId + ": " + describe(failures));
            }
        }
    }

    public SandboxSummary get(String sandboxId) {
        Sandbox sandbox = boxes.get(sandboxId);
        if (sandbox == null) {
            throw new HostAgentException(ErrorCode.NOT_FOUND, "sandbox " + sandboxId + " not found");
        }
        return sandbox.summary();
    }

    /** Checks the sandbox is running and its guest answers now; counts as activity for the inactivity reaper. */
    public void ping(String sandboxId, Duration timeout) {
        Sandbox sandbox = running(sandboxId);
        readiness.await(sandbox.slot().hostIp(), timeout);
        sandbox.touch();
    }

    private Sandbox running(String sandboxId) {
        Sandbox sandbox = boxes.get(sandboxId);
        if (sandbox == null) {
            throw new HostAgentException(ErrorCode.NOT_FOUND, "sandbox " + sandboxId + " not found");
        }
        if (sandbox.state() != VmState.RUNNING) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "sandbox %s is %s%s"
                            .formatted(
                                    sandboxId,
                                    sandbox.state().name().toLowerCase(Locale.ROOT),
                                    sandbox.stopReason().isEmpty() ? "" : ": " + sandbox.stopReason()));
        }
        return sandbox;
    }

    /**
     * How to reach a running sandbox's guest agent, for exec and file calls; counts as activity for the inactivity
     * reaper. NOT_FOUND for an unknown sandbox, FAILED_PRECONDITION for one that is not running.
     */
    public GuestEndpoint guest(String sandboxId) {
        Sandbox sandbox = running(sandboxId);
        sandbox.touch();
        return new GuestEndpoint(sandboxId, sandbox.slot().hostIp(), sandbox.accessToken());
    }

    /** Records activity (a long exec stream ending, say); an unknown sandbox is ignored, it may be gone already. */
    public void markActive(String sandboxId) {
        Sandbox sandbox = boxes.get(sandboxId);
        if (sandbox != null) {
            sandbox.touch();
        }
    }

    public List<SandboxSummary> list() {
        return boxes.values().stream()
                .map(Sandbox::summary)
                .sorted(Comparator.comparing(SandboxSummary::createdAt))
                .toList();
    }

    /** Destroys every sandbox: the agent's shutdown does not leave VMs running without it. */
    @Override
    public void close() {
        for (String id : List.copyOf(boxes.keySet())) {
            try {
                destroy(id);
            } catch (HostAgentException e) {
                log.warn("shutdown: {}", e.getMessage());
            }
        }
    }

    private Sandbox register(SandboxRequest request) {
        if (boxes.containsKey(request.sandboxId())) { // before taking a slot: a duplicate is not a full host
            throw new HostAgentException(
                    ErrorCode.ALREADY_EXISTS, "sandbox " + request.sandboxId() + " already exists");
        }
        CleanupStack cleanup = new CleanupStack(request.sandboxId());
        Slot slot = slots.allocate();
        Sandbox sandbox = new Sandbox(request, slot, cleanup);
        if (boxes.putIfAbsent(request.sandboxId(), sandbox) != null) {
            slots.release(slot);
            throw new HostAgentException(
                    ErrorCode.ALREADY_EXISTS, "sandbox " + request.sandboxId() + " already exists");
        }
        cleanup.push("forget sandbox", () -> {
            if (sandbox.stopReason().isEmpty()) {
                boxes.remove(request.sandboxId(), sandbox);
            }
        });
        cleanup.push("release slot " + slot.index(), () -> slots.release(slot));
        return sandbox;
    }

    private void acquire(Sandbox sandbox, GuestImage image) {
        CleanupStack cleanup = sandbox.cleanup();
        Slot slot = sandbox.slot();
        network.setUp(slot);
        cleanup.push("network of slot " + slot.index(), () -> network.tearDown(slot));
        Path dir = createDirectory(sandbox.id());
        cleanup.push("files " + dir, () -> Sweeper.deleteTree(dir));
        Vmm vmm = vmms.create(spec(sandbox, dir, overlay(dir, image), image));
        // Pushed before start: a start that fails half-way may still have left a QEMU process.
        cleanup.push("VMM of " + sandbox.id(), () -> vmm.stop(STOP_GRACE));
        sandbox.attach(vmm);
        vmm.start();
        watchExit(sandbox, vmm);
        awaitGuest(sandbox, vmm);
        initializer.initialize(
                new GuestEndpoint(sandbox.id(), slot.hostIp(), sandbox.accessToken()),
                sandbox.request().envVars(),
                readyTimeout);
    }

    /** Waits for the guest agent, giving up as soon as the VMM dies; either failure quotes the serial console. */
    private void awaitGuest(Sandbox sandbox, Vmm vmm) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().name("ready-" + sandbox.id()).start(() -> {
            try {
                readiness.await(sandbox.slot().hostIp(), readyTimeout);
                ready.complete(null);
            } catch (RuntimeException e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            CompletableFuture.anyOf(ready, vmm.onExit()).get();
        } catch (ExecutionException e) {
            throw bootFailure(sandbox, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw bootFailure(sandbox, e);
        } finally {
            waiter.interrupt();
        }
        if (!ready.isDone()) {
            throw bootFailure(
                    sandbox,
                    new IllegalStateException("QEMU " + vmm.onExit().join().describe()));
        }
    }

    private HostAgentException bootFailure(Sandbox sandbox, Throwable cause) {
        ErrorCode code = cause instanceof HostAgentException h ? h.code() : ErrorCode.INTERNAL;
        String message = "booting sandbox %s: %s; serial console:\n%s"
                .formatted(sandbox.id(), cause.getMessage(), console(sandbox).tail());
        log.warn(message);
        return new HostAgentException(code, message, cause);
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

    /** The VMM ended on its own (crash, OOM kill, kill from outside): release everything, keep the record. */
    private void onVmmExit(Sandbox sandbox, Vmm exited, VmExit exit) {
        synchronized (sandbox.cleanup()) {
            if (sandbox.state() != VmState.RUNNING || sandbox.vmm() != exited) {
                // An intended stop (destroy, pause), a create that is failing and unwinds itself, or a VMM the
                // sandbox no longer runs on.
                return;
            }
            String reason = "QEMU %s; serial console:\n%s"
                    .formatted(exit.describe(), console(sandbox).tail());
            log.warn("sandbox {} stopped on its own: {}", sandbox.id(), reason);
            sandbox.stoppedBecause(reason);
            sandbox.moveTo(VmState.STOPPING);
            release(sandbox);
        }
    }

    private ConsoleLog console(Sandbox sandbox) {
        return new ConsoleLog(dataDir.sandbox(sandbox.id()).resolve("console.log"));
    }

    private Path overlay(Path dir, GuestImage image) {
        Path overlay = dir.resolve("rootfs.qcow2");
        // The versioned path, not images/current: a rebuild must never change the base under this overlay.
        qemuImg.createOverlay(image.rootfs(), "raw", overlay);
        return overlay;
    }

    private VmSpec spec(Sandbox sandbox, Path dir, Path disk, GuestImage image) {
        SandboxRequest request = sandbox.request();
        return new VmSpec(
                sandbox.id(),
                image.kernel(),
                image.initramfs(),
                disk,
                request.vcpus(),
                request.memoryMb(),
                dir,
                sandbox.slot().netns(),
                Slot.TAP_NAME,
                "wrenn.hostname=sandbox wrenn.ip=%s/%d wrenn.gw=%s"
                        .formatted(Slot.GUEST_IP, Slot.TAP_PREFIX, Slot.TAP_IP));
    }

    private Path createDirectory(String sandboxId) {
        Path dir = dataDir.sandbox(sandboxId);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL, "creating sandbox directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private List<CleanupStack.Failure> release(Sandbox sandbox) {
        List<CleanupStack.Failure> failures = sandbox.cleanup().unwind();
        if (sandbox.state() == VmState.STOPPING) {
            sandbox.moveTo(failures.isEmpty() ? VmState.STOPPED : VmState.FAILED);
        }
        return failures;
    }

    private static String describe(List<CleanupStack.Failure> failures) {
        return failures.stream()
                .map(f -> f.description() + ": " + f.error().getMessage())
                .collect(Collectors.joining("; "));
    }
}
