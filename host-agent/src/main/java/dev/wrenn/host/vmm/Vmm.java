package dev.wrenn.host.vmm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One VM process behind a hypervisor-neutral interface (QEMU now, Firecracker later). Implementations are not
 * reusable: start once, stop once.
 */
public interface Vmm extends AutoCloseable {

    /** Launches the VMM and returns once its control channel answers (the guest may still be booting). */
    void start();

    /** Stops the VMM: an orderly quit first, then SIGTERM, then SIGKILL after {@code grace}. Idempotent. */
    void stop(Duration grace);

    boolean isAlive();

    /**
     * Completes when the VMM process ends, for whatever reason (stop, crash, kill from outside). Before start it
     * never completes.
     */
    default CompletableFuture<VmExit> onExit() {
        return ProcessHandle.of(pid())
                .map(handle -> handle.onExit().thenApply(ended -> VmExit.UNKNOWN))
                .orElseGet(CompletableFuture::new);
    }

    /** The VMM's process id; -1 before start. */
    long pid();

    /** Freezes the vCPUs; memory stays mapped. */
    void pause();

    /** Thaws vCPUs frozen by {@link #pause()}. */
    void resume();

    /**
     * Saves the state of a paused VM to {@code target}. Guest RAM in a shared RAM file stays there (only device
     * state is written); private RAM is written into the state file too. The VM keeps existing, still paused: the
     * caller decides whether to stop it or resume it.
     *
     * @return what was written, to be passed to {@link #loadState} of the VM that resumes it
     */
    default StateFile saveState(Path target, Duration timeout) {
        throw new UnsupportedOperationException(
                "saving VM state is not implemented for " + getClass().getSimpleName());
    }

    /**
     * Loads a state saved by {@link #saveState} into a VM started to receive it ({@link VmSpec#incoming()}). The VM
     * stays paused until {@link #resume()}.
     */
    default void loadState(StateFile state, Duration timeout) {
        throw new UnsupportedOperationException(
                "loading VM state is not implemented for " + getClass().getSimpleName());
    }

    @Override
    default void close() {
        stop(Duration.ofSeconds(5));
    }
}
