package dev.wrenn.host.testing;

import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.VmExit;
import dev.wrenn.host.vmm.Vmm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A real VMM with one step overridden by a test (as an anonymous subclass), to make that step fail the way it fails
 * in production. Every step not overridden is the real VMM's.
 */
public class DelegatingVmm implements Vmm {
    private final Vmm real;

    public DelegatingVmm(Vmm real) {
        this.real = real;
    }

    @Override
    public void start() {
        real.start();
    }

    @Override
    public void stop(Duration grace) {
        real.stop(grace);
    }

    @Override
    public boolean isAlive() {
        return real.isAlive();
    }

    @Override
    public CompletableFuture<VmExit> onExit() {
        return real.onExit();
    }

    @Override
    public long pid() {
        return real.pid();
    }

    @Override
    public void pause() {
        real.pause();
    }

    @Override
    public void resume() {
        real.resume();
    }

    @Override
    public StateFile saveState(Path target, Duration timeout) {
        return real.saveState(target, timeout);
    }

    @Override
    public void loadState(StateFile state, Duration timeout) {
        real.loadState(state, timeout);
    }
}
