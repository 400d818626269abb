package dev.wrenn.host.sandbox;

import dev.wrenn.host.testing.DelegatingVmm;
import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.Vmm;
import java.nio.file.Path;
import java.time.Duration;

/** VMMs that die at one step, the way a VMM killed from outside (OOM killer, operator) dies there. */
final class Faults {
    volatile boolean armed;

    /** Every VMM is killed as it starts saving its state. */
    static Vmm killedWhileSaving(Vmm real) {
        return new DelegatingVmm(real) {
            @Override
            public StateFile saveState(Path target, Duration timeout) {
                kill(real);
                return super.saveState(target, timeout);
            }
        };
    }

    /** While armed, a VMM is killed as it starts loading a saved state. */
    Vmm killedWhileLoadingWhenArmed(Vmm real) {
        return new DelegatingVmm(real) {
            @Override
            public void loadState(StateFile state, Duration timeout) {
                if (armed) {
                    kill(real);
                }
                super.loadState(state, timeout);
            }
        };
    }

    private static void kill(Vmm vmm) {
        ProcessHandle.of(vmm.pid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }
}
