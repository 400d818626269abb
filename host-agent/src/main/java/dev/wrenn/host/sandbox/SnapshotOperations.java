package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.GuestInitializer;
import dev.wrenn.host.snapshot.Pauser;
import dev.wrenn.host.snapshot.Resumer;
import dev.wrenn.host.snapshot.Snapshot;
import dev.wrenn.host.snapshot.SnapshotStore;
import dev.wrenn.host.snapshot.TemplateMaker;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pause, resume and template-making of one sandbox, each under the sandbox's lock. The rule for failures: the sandbox
 * ends RUNNING (the VM survived), PAUSED (its snapshot is intact) or FAILED with the reason; never in between.
 */
final class SnapshotOperations {
    private static final Logger log = LoggerFactory.getLogger(SnapshotOperations.class);
    private static final String TEMPLATE_NAME = "[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}";

    private final SnapshotStore store;
    private final VmLauncher launcher;
    private final Pauser pauser;
    private final Resumer resumer;
    private final TemplateMaker maker;
    private final GuestInitializer initializer;
    private final SandboxManager manager;

    SnapshotOperations(
            SnapshotStore store,
            VmLauncher launcher,
            Pauser pauser,
            Resumer resumer,
            TemplateMaker maker,
            GuestInitializer initializer,
            SandboxManager manager) {
        this.store = store;
        this.launcher = launcher;
        this.pauser = pauser;
        this.resumer = resumer;
        this.maker = maker;
        this.initializer = initializer;
        this.manager = manager;
    }

    SandboxSummary pause(Sandbox sandbox) {
        synchronized (sandbox.lock()) {
            requireState(sandbox, VmState.RUNNING, "pausing");
            pauseLocked(sandbox);
            return sandbox.summary();
        }
    }

    private void pauseLocked(Sandbox sandbox) {
        VmRun run = sandbox.run();
        long started = System.nanoTime();
        sandbox.moveTo(VmState.PAUSING);
        try {
            pauser.pause(sandbox.id(), run.vmm(), run.spec(), sandbox.attributes());
        } catch (RuntimeException e) {
            if (run.vmm().isAlive()) {
                sandbox.moveTo(VmState.RUNNING);
                throw e;
            }
            throw broken(sandbox, "pausing it failed and its VM is gone", e);
        }
        SandboxManager.endRun(sandbox);
        sandbox.moveTo(VmState.PAUSED);
        log.info("sandbox {} paused in {} ms", sandbox.id(), (System.nanoTime() - started) / 1_000_000);
    }

    SandboxSummary resume(Sandbox sandbox, int timeoutSec) {
        synchronized (sandbox.lock()) {
            requireState(sandbox, VmState.PAUSED, "resuming");
            long started = System.nanoTime();
            sandbox.moveTo(VmState.RESUMING);
            VmRun run;
            try {
                // Same token; the guest gets the host's clock and fresh randomness.
                run = launcher.resume(
                        sandbox.id(),
                        resumer,
                        new RestoredGuestInit(
                                initializer, sandbox.id(), sandbox.accessToken(), sandbox.accessToken(), Map.of()),
                        sandbox.egress());
            } catch (RuntimeException e) {
                throw keptPausedOrBroken(sandbox, e);
            }
            sandbox.startRun(run);
            if (timeoutSec > 0) {
                sandbox.timeoutSec(timeoutSec);
            }
            sandbox.touch();
            sandbox.moveTo(VmState.RUNNING);
            manager.watchExit(sandbox, run.vmm());
            log.info("sandbox {} resumed in {} ms", sandbox.id(), (System.nanoTime() - started) / 1_000_000);
            return sandbox.summary();
        }
    }

    TemplateSummary createTemplate(Sandbox sandbox, String name) {
        return createTemplate(sandbox, name, false);
    }

    /** With {@code replace}, an existing template of that name is replaced in one atomic step once the new one is whole. */
    TemplateSummary createTemplate(Sandbox sandbox, String name, boolean replace) {
        checkTemplateName(name, "making template");
        synchronized (sandbox.lock()) {
            if (sandbox.state() == VmState.RUNNING) {
                pauseLocked(sandbox);
            }
            requireState(sandbox, VmState.PAUSED, "making template " + name + " of");
            if (store.paused(sandbox.id()).map(s -> s.meta().memoryInState()).orElse(false)) {
                moveMemoryIntoFile(sandbox);
            }
            Snapshot template = maker.fromPaused(sandbox.id(), name, replace);
            log.info("template {} made from sandbox {}", name, sandbox.id());
            return new TemplateSummary(name, store.diskUsageBytes(template.files()));
        }
    }

    /**
     * A paused clone keeps its memory inside the state file (its RAM was the template's, mapped privately), which a
     * template cannot map. One resume and pause moves it into a RAM file of its own; the guest runs for that moment
     * but is not handed out, and stays paused. Its old snapshot stays valid throughout (the VM runs on a copy of its
     * disk) until the new one, made aside, is exchanged for it in one step: a failure or a crash at any point leaves
     * the sandbox paused, in the old snapshot or the new.
     */
    private void moveMemoryIntoFile(Sandbox sandbox) {
        VmRun run;
        try {
            run = launcher.resume(sandbox.id(), resumer.keepingSnapshot(), sandbox.egress());
        } catch (RuntimeException e) {
            throw keptPausedOrBroken(sandbox, e);
        }
        try {
            pauser.pauseReplacing(sandbox.id(), run.vmm(), run.spec(), sandbox.attributes());
        } catch (RuntimeException e) {
            run.cleanup().unwind();
            throw keptPausedOrBroken(sandbox, e);
        }
        run.cleanup().unwind();
    }

    private HostAgentException keptPausedOrBroken(Sandbox sandbox, RuntimeException e) {
        if (store.paused(sandbox.id()).isPresent()) {
            if (sandbox.state() == VmState.RESUMING) {
                sandbox.moveTo(VmState.PAUSED);
            }
            ErrorCode code = e instanceof HostAgentException h ? h.code() : ErrorCode.INTERNAL;
            return new HostAgentException(
                    code, "resuming sandbox %s failed; it stays paused: %s".formatted(sandbox.id(), e.getMessage()), e);
        }
        if (sandbox.state() == VmState.PAUSED) {
            sandbox.moveTo(VmState.RESUMING);
        }
        return broken(sandbox, "resuming it failed and its snapshot is gone", e);
    }

    /** The sandbox cannot be brought back: release what its run holds, keep the record as FAILED with the reason. */
    private HostAgentException broken(Sandbox sandbox, String what, RuntimeException cause) {
        String reason = what + ": " + cause.getMessage();
        log.warn("sandbox {}: {}", sandbox.id(), reason);
        sandbox.stoppedBecause(reason);
        SandboxManager.endRun(sandbox);
        try {
            store.deletePaused(sandbox.id());
        } catch (HostAgentException e) {
            log.warn("sandbox {}: removing its incomplete snapshot: {}", sandbox.id(), e.getMessage());
        }
        sandbox.moveTo(VmState.FAILED);
        return new HostAgentException(ErrorCode.INTERNAL, "sandbox " + sandbox.id() + ": " + reason, cause);
    }

    private static void requireState(Sandbox sandbox, VmState expected, String operation) {
        if (sandbox.state() != expected) {
            HostAgentException why = SandboxManager.notRunning(sandbox);
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "%s sandbox %s: it must be %s but %s"
                            .formatted(
                                    operation,
                                    sandbox.id(),
                                    expected.name().toLowerCase(java.util.Locale.ROOT),
                                    why.getMessage().substring(("sandbox " + sandbox.id() + " ").length())));
        }
    }

    /** Callers' template names: safe directory names, and never {@code base}, which names the image. */
    static void checkTemplateName(String name, String operation) {
        if (name == null || !name.matches(TEMPLATE_NAME) || name.equals("base")) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT,
                    "%s: `%s` is not a valid template name (letters, digits, . _ -, not `base`)"
                            .formatted(operation, name));
        }
    }
}
