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
     * Saves device state to {@code stateFile} while paused, leaving RAM in its file. Not yet implemented by any
     * backend: the hook exists so the snapshot flow can be written against this interface.
     */
    default void snapshot(Path stateFile) {
        throw new UnsupportedOperationException(
                "snapshot is not implemented for " + getClass().getSimpleName());
    }

    @Override
    default void close() {
        stop(Duration.ofSeconds(5));
    }
}
