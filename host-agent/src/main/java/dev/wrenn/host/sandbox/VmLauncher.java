package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.GuestPace;
import dev.wrenn.host.guest.GuestReadiness;
import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.net.EgressPolicy;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.snapshot.Cloner;
import dev.wrenn.host.snapshot.RestoredVm;
import dev.wrenn.host.snapshot.Resumer;
import dev.wrenn.host.snapshot.VmPlacement;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.vmm.ConsoleLog;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import dev.wrenn.host.vmm.VmmFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one {@link VmRun}: a network slot, its namespace, the VM directory and a VMM that is cold-booted, cloned
 * from a template or resumed from a pause, and returns once the guest agent answers. Every acquisition pushes its
 * undo on the run's stack; a failure unwinds the stack before it is thrown, so the caller only decides what the
 * failure means for the sandbox.
 */
final class VmLauncher {
    private static final Logger log = LoggerFactory.getLogger(VmLauncher.class);
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final DataDir dataDir;
    private final SlotAllocator slots;
    private final SandboxNetwork network;
    private final QemuImg qemuImg;
    private final VmmFactory vmms;
    private final GuestReadiness readiness;
    private final Duration readyTimeout;
    private final GuestPace pace = GuestPace.ofHost();

    VmLauncher(
            DataDir dataDir,
            SlotAllocator slots,
            SandboxNetwork network,
            QemuImg qemuImg,
            VmmFactory vmms,
            GuestReadiness readiness,
            Duration readyTimeout) {
        this.dataDir = dataDir;
        this.slots = slots;
        this.network = network;
        this.qemuImg = qemuImg;
        this.vmms = vmms;
        this.readiness = readiness;
        this.readyTimeout = readyTimeout;
    }

    /** Boots {@code image}'s kernel with a fresh disk overlay over its (versioned) root disk. */
    VmRun coldBoot(String name, GuestImage image, int vcpus, int memoryMb, EgressPolicy egress) {
        return launch(name, egress, readiness, where -> {
            Path disk = where.disk();
            // The versioned path, not images/current: a rebuild must never change the base under this overlay.
            qemuImg.createOverlay(image.rootfs(), "raw", disk);
            VmSpec spec = spec(name, where, disk, image, vcpus, memoryMb);
            Vmm vmm = vmms.create(spec);
            try {
                vmm.start();
            } catch (RuntimeException e) {
                vmm.stop(STOP_GRACE); // a start that fails half-way may still have left a QEMU process
                throw e;
            }
            return new RestoredVm(vmm, spec);
        });
    }

    /**
     * Restores a clone of {@code template}: its RAM mapped privately, a copy-on-write overlay over its disk; returns
     * once {@code ready} passes (for a guest agent, its /init).
     */
    VmRun clone(String name, Cloner cloner, String template, GuestReadiness ready, EgressPolicy egress) {
        return launch(name, egress, ready, where -> cloner.clone(template, where));
    }

    /** Resumes the paused snapshot of {@code name}; if that fails before the guest runs, the snapshot is kept. */
    VmRun resume(String name, Resumer resumer, GuestReadiness ready, EgressPolicy egress) {
        return launch(name, egress, ready, where -> resumer.resume(name, where));
    }

    /** The same, ready once the guest agent answers /health. */
    VmRun resume(String name, Resumer resumer, EgressPolicy egress) {
        return resume(name, resumer, readiness, egress);
    }

    Path vmDir(String name) {
        return dataDir.sandbox(name);
    }

    /** Replaces the egress rules of a running VM's network slot. */
    void updateEgress(Slot slot, EgressPolicy egress) {
        network.update(slot, egress);
    }

    private VmRun launch(
            String name, EgressPolicy egress, GuestReadiness ready, Function<VmPlacement, RestoredVm> start) {
        CleanupStack cleanup = new CleanupStack(name);
        try {
            long t0 = System.nanoTime();
            Slot slot = slots.allocate();
            cleanup.push("release slot " + slot.index(), () -> slots.release(slot));
            network.setUp(slot, egress);
            cleanup.push("network of slot " + slot.index(), () -> network.tearDown(slot));
            Path dir = createDirectory(name);
            cleanup.push("files " + dir, () -> Sweeper.deleteTree(dir));
            long t1 = System.nanoTime();
            RestoredVm vm = start.apply(new VmPlacement(name, dir, slot.netns(), Slot.TAP_NAME));
            cleanup.push("VMM of " + name, () -> vm.vm().stop(STOP_GRACE));
            long t2 = System.nanoTime();
            awaitGuest(name, slot, vm.vm(), ready);
            log.debug(
                    "sandbox {} launched: network {} ms, VMM {} ms, guest agent ready {} ms",
                    name,
                    (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000,
                    (System.nanoTime() - t2) / 1_000_000);
            return new VmRun(slot, vm.vm(), vm.spec(), cleanup);
        } catch (RuntimeException e) {
            cleanup.unwind();
            throw e;
        }
    }

    /** Waits for the guest agent, giving up as soon as the VMM dies; either failure quotes the serial console. */
    private void awaitGuest(String name, Slot slot, Vmm vmm, GuestReadiness readyWhen) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().name("ready-" + name).start(() -> {
            try {
                // Scaled by the host's load: a guest booting or restoring under an oversubscribed TCG host is slow,
                // not broken (a dead VMM ends the wait at once anyway).
                readyWhen.await(slot.hostIp(), pace.scale(readyTimeout));
                ready.complete(null);
            } catch (RuntimeException e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            CompletableFuture.anyOf(ready, vmm.onExit()).get();
        } catch (ExecutionException e) {
            throw bootFailure(name, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw bootFailure(name, e);
        } finally {
            waiter.interrupt();
        }
        // Not isDone(): when QEMU's exit wins the race, interrupting the waiter completes `ready` exceptionally,
        // and a create of a guest that never booted then passed for a running sandbox.
        if (ready.state() != Future.State.SUCCESS) {
            throw bootFailure(
                    name,
                    new IllegalStateException("QEMU " + vmm.onExit().join().describe()));
        }
    }

    private HostAgentException bootFailure(String name, Throwable cause) {
        ErrorCode code = cause instanceof HostAgentException h ? h.code() : ErrorCode.INTERNAL;
        String message = "booting sandbox %s: %s; serial console:\n%s"
                .formatted(name, cause.getMessage(), console(name).tail());
        log.warn(message);
        return new HostAgentException(code, message, cause);
    }

    ConsoleLog console(String name) {
        return new ConsoleLog(dataDir.sandbox(name).resolve("console.log"));
    }

    private static VmSpec spec(String name, VmPlacement where, Path disk, GuestImage image, int vcpus, int memoryMb) {
        return new VmSpec(
                name,
                image.kernel(),
                image.initramfs(),
                disk,
                vcpus,
                memoryMb,
                where.vmDir(),
                where.netns(),
                where.tap(),
                "wrenn.hostname=sandbox wrenn.ip=%s/%d wrenn.gw=%s"
                        .formatted(Slot.GUEST_IP, Slot.TAP_PREFIX, Slot.TAP_IP));
    }

    private Path createDirectory(String name) {
        Path dir = dataDir.sandbox(name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL, "creating sandbox directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
