package dev.wrenn.host.sandbox;

import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.VmExit;
import dev.wrenn.host.vmm.Vmm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** VMMs that die at one step, the way a VMM killed from outside (OOM killer, operator) dies there. */
final class Faults {
    volatile boolean armed;

    /** Every VMM is killed as it starts saving its state. */
    static Vmm killedWhileSaving(Vmm real) {
        return new Wrapped(real) {
            @Override
            public StateFile saveState(Path target, Duration timeout) {
                kill(real);
                return real.saveState(target, timeout);
            }
        };
    }

    /** While armed, a VMM is killed as it starts loading a saved state. */
    Vmm killedWhileLoadingWhenArmed(Vmm real) {
        return new Wrapped(real) {
            @Override
            public void loadState(StateFile state, Duration timeout) {
                if (armed) {
                    kill(real);
                }
                real.loadState(state, timeout);
            }
        };
    }

    private static void kill(Vmm vmm) {
        ProcessHandle.of(vmm.pid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    private static class Wrapped implements Vmm {
        private final Vmm real;

        Wrapped(Vmm real) {
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
}
