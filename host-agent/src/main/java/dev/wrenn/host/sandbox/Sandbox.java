package dev.wrenn.host.sandbox;

import dev.wrenn.host.net.EgressPolicy;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.snapshot.SnapshotMeta;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One sandbox this host knows, running or paused: what it is (template, shape, access token, the snapshot template it
 * was cloned from), its state, and while it runs its {@link VmRun}. The access token is made here, handed to the
 * guest at /init, never shown to callers, and survives pause and resume. Long operations hold {@link #lock()}; the
 * getters only this object's monitor, so listing never waits for a pause.
 */
final class Sandbox {
    static final String ATTR_TEMPLATE = "template";
    static final String ATTR_CLONED_FROM = "clonedFrom";
    static final String ATTR_TIMEOUT = "timeoutSec";
    static final String ATTR_CREATED_AT = "createdAt";
    static final String ATTR_TOKEN = "accessToken";
    static final String ATTR_EGRESS = "egress";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final String template;
    private final String clonedFrom;
    private final int vcpus;
    private final int memoryMb;
    private final Instant createdAt;
    private final String accessToken;
    private final Object lock = new Object();
    private int timeoutSec;
    private VmRun run;
    private VmState state;
    private Instant lastActiveAt;
    private String stopReason = "";
    private EgressPolicy egress = EgressPolicy.UNSET;

    private Sandbox(
            String id,
            String template,
            String clonedFrom,
            int vcpus,
            int memoryMb,
            int timeoutSec,
            Instant createdAt,
            String accessToken,
            VmState state) {
        this.id = id;
        this.template = template;
        this.clonedFrom = clonedFrom;
        this.vcpus = vcpus;
        this.memoryMb = memoryMb;
        this.timeoutSec = timeoutSec;
        this.createdAt = createdAt;
        this.lastActiveAt = createdAt;
        this.accessToken = accessToken;
        this.state = state;
    }

    /** A sandbox about to start; {@code clonedFrom} is the snapshot template it restores, or null for a cold boot. */
    static Sandbox starting(SandboxRequest request, String clonedFrom, int vcpus, int memoryMb) {
        Sandbox sandbox = new Sandbox(
                request.sandboxId(),
                request.template(),
                clonedFrom,
                vcpus,
                memoryMb,
                request.timeoutSec(),
                Instant.now(),
                newToken(),
                VmState.STARTING);
        sandbox.egress = request.egress();
        return sandbox;
    }

    /** A sandbox an earlier agent paused, listed again from its snapshot's meta.json. */
    static Sandbox paused(String id, SnapshotMeta meta) {
        Map<String, String> attributes = meta.attributes();
        Sandbox sandbox = new Sandbox(
                id,
                attributes.getOrDefault(ATTR_TEMPLATE, "base"),
                attributes.get(ATTR_CLONED_FROM),
                meta.vcpus(),
                meta.memoryMib(),
                Integer.parseInt(attributes.getOrDefault(ATTR_TIMEOUT, "0")),
                Instant.parse(attributes.getOrDefault(ATTR_CREATED_AT, meta.createdAt())),
                attributes.getOrDefault(ATTR_TOKEN, newToken()),
                VmState.PAUSED);
        String egress = attributes.get(ATTR_EGRESS);
        sandbox.egress = egress == null ? EgressPolicy.UNSET : EgressPolicy.decode(egress);
        return sandbox;
    }

    /** A sandbox whose pause or resume an earlier agent left half done: listed as FAILED, with the reason. */
    static Sandbox broken(String id, String reason) {
        Sandbox sandbox = new Sandbox(id, "", null, 1, 0, 0, Instant.now(), "", VmState.FAILED);
        sandbox.stopReason = reason;
        return sandbox;
    }

    /** What a pause keeps in the snapshot so that a restarted agent can list the sandbox again. */
    synchronized Map<String, String> attributes() {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ATTR_TEMPLATE, template);
        if (clonedFrom != null) {
            attributes.put(ATTR_CLONED_FROM, clonedFrom);
        }
        attributes.put(ATTR_TIMEOUT, Integer.toString(timeoutSec));
        attributes.put(ATTR_CREATED_AT, createdAt.toString());
        attributes.put(ATTR_TOKEN, accessToken);
        attributes.put(ATTR_EGRESS, egress.encode());
        return attributes;
    }

    String id() {
        return id;
    }

    String clonedFrom() {
        return clonedFrom;
    }

    String accessToken() {
        return accessToken;
    }

    /** Held for the whole of a create, pause, resume, snapshot or destroy of this sandbox. */
    Object lock() {
        return lock;
    }

    synchronized void startRun(VmRun started) {
        this.run = started;
    }

    /** The current VM run, or null while paused or stopped. */
    synchronized VmRun run() {
        return run;
    }

    synchronized void endRun() {
        this.run = null;
    }

    synchronized Vmm vmm() {
        return run == null ? null : run.vmm();
    }

    synchronized Slot slot() {
        return run == null ? null : run.slot();
    }

    synchronized VmSpec spec() {
        return run == null ? null : run.spec();
    }

    synchronized void moveTo(VmState target) {
        state = state.moveTo(target, id);
    }

    synchronized VmState state() {
        return state;
    }

    /** Why the VM stopped on its own or an operation left it broken; such a sandbox stays listed until destroyed. */
    synchronized void stoppedBecause(String reason) {
        stopReason = reason;
    }

    synchronized String stopReason() {
        return stopReason;
    }

    /** The sandbox's own egress rules; kept across pause and resume (in the snapshot's attributes). */
    synchronized EgressPolicy egress() {
        return egress;
    }

    synchronized void egress(EgressPolicy rules) {
        egress = rules;
    }

    synchronized void touch() {
        lastActiveAt = Instant.now();
    }

    synchronized Instant lastActiveAt() {
        return lastActiveAt;
    }

    synchronized int timeoutSec() {
        return timeoutSec;
    }

    synchronized void timeoutSec(int seconds) {
        timeoutSec = seconds;
    }

    synchronized SandboxSummary summary() {
        return new SandboxSummary(
                id,
                state,
                template,
                vcpus,
                memoryMb,
                run == null ? null : run.slot().hostIp(),
                createdAt,
                lastActiveAt,
                timeoutSec,
                stopReason,
                clonedFrom == null ? "" : clonedFrom,
                accessToken,
                egress);
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
