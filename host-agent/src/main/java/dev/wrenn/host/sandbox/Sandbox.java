package dev.wrenn.host.sandbox;

import dev.wrenn.host.net.Slot;
import dev.wrenn.host.vmm.Vmm;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One live sandbox: its request, slot, VMM, the undo stack of everything it holds, its state, and the access token
 * its guest agent demands (made here, handed to the guest at /init, shown only to the control plane, which hands
 * it to the sandbox's owner as E2B's envdAccessToken).
 */
final class Sandbox {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SandboxRequest request;
    private final Slot slot;
    private final CleanupStack cleanup;
    private final Instant createdAt = Instant.now();
    private final String accessToken = newToken();
    private Vmm vmm;
    private VmState state = VmState.STARTING;
    private Instant lastActiveAt = createdAt;
    private String stopReason = "";

    Sandbox(SandboxRequest request, Slot slot, CleanupStack cleanup) {
        this.request = request;
        this.slot = slot;
        this.cleanup = cleanup;
    }

    String id() {
        return request.sandboxId();
    }

    SandboxRequest request() {
        return request;
    }

    Slot slot() {
        return slot;
    }

    CleanupStack cleanup() {
        return cleanup;
    }

    String accessToken() {
        return accessToken;
    }

    synchronized void attach(Vmm started) {
        this.vmm = started;
    }

    synchronized Vmm vmm() {
        return vmm;
    }

    synchronized void moveTo(VmState target) {
        state = state.moveTo(target, id());
    }

    synchronized VmState state() {
        return state;
    }

    /** Why the VM stopped on its own; a sandbox with a reason stays listed (STOPPED) until it is destroyed. */
    synchronized void stoppedBecause(String reason) {
        stopReason = reason;
    }

    synchronized String stopReason() {
        return stopReason;
    }

    synchronized void touch() {
        lastActiveAt = Instant.now();
    }

    synchronized SandboxSummary summary() {
        return new SandboxSummary(
                id(),
                state,
                request.template(),
                request.vcpus(),
                request.memoryMb(),
                slot.hostIp(),
                createdAt,
                lastActiveAt,
                request.timeoutSec(),
                stopReason,
                accessToken);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
