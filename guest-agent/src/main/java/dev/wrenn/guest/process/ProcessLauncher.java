package dev.wrenn.guest.process;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.SpawnSpec;
import dev.wrenn.protocol.envd.process.ProcessInfo;
import java.io.IOException;
import java.time.Duration;

/** Starts a planned process, registers it and gives it the platform thread that supervises it. */
final class ProcessLauncher {
    private final SpawnedChildren children;
    private final ProcessTable table;
    private final Duration exitGrace;

    ProcessLauncher(SpawnedChildren children, ProcessTable table, Duration exitGrace) {
        this.children = children;
        this.table = table;
        this.exitGrace = exitGrace;
    }

    /** Starts the process with {@code first} already attached, so it misses none of the output. */
    ManagedProcess launch(LaunchPlan plan, ProcessInfo info, Subscription first) {
        Stdio stdio = openStdio(plan);
        int pid;
        try {
            pid = children.spawn(new SpawnSpec(
                    plan.program(), plan.argv(), plan.environment(), plan.workingDirectory(), stdio.childActions()));
        } catch (ErrnoException | RuntimeException e) {
            stdio.closeAll();
            throw new ConnectException(
                    Code.INTERNAL, "starting process '" + info.getConfig().getCmd() + "': " + e.getMessage(), e);
        }
        stdio.closeChildEnds();
        ManagedProcess process = new ManagedProcess(pid, info, stdio, first);
        table.add(process);
        Thread.ofPlatform()
                .daemon()
                .name("process-" + pid)
                .start(() -> process.supervise(children, exitGrace, () -> table.markFinished(process)));
        return process;
    }

    private static Stdio openStdio(LaunchPlan plan) {
        try {
            return plan.pty().isPresent()
                    ? Stdio.terminal(plan.pty().get().cols(), plan.pty().get().rows(), plan.uid())
                    : Stdio.pipes(plan.stdin());
        } catch (IOException e) {
            throw new ConnectException(
                    Code.RESOURCE_EXHAUSTED,
                    "opening " + (plan.pty().isPresent() ? "a PTY" : "pipes") + " for a new process: " + e.getMessage(),
                    e);
        }
    }
}
