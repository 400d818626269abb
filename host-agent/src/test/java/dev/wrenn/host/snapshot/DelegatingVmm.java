package dev.wrenn.host.snapshot;

import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.Vmm;
import java.nio.file.Path;
import java.time.Duration;

/** A real VMM with one step overridden by a test, to make that step fail the way it fails in production. */
class DelegatingVmm implements Vmm {
    private final Vmm real;

    DelegatingVmm(Vmm real) {
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
