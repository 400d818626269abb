package dev.wrenn.guest.process;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.process.pty.Pty;
import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.Posix;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import dev.wrenn.protocol.envd.process.ProcessInfo;
import dev.wrenn.protocol.envd.process.ProcessInput;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started process: its pid (which is also its session and process-group id), the config it was started
 * with, its input channels and the streams attached to it. {@link #supervise} runs on the process's own platform
 * thread: pump output, reap the child, publish the end event.
 */
final class ManagedProcess {
    private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);

    private final int pid;
    private final ProcessInfo info;
    private final Stdio stdio;
    private final EventHub hub = new EventHub();
    private final Optional<InputChannel> stdin;
    private final Optional<InputChannel> terminalInput;
    private volatile Integer waitStatus;

    ManagedProcess(int pid, ProcessInfo info, Stdio stdio, Subscription first) {
        this.pid = pid;
        this.info = info.toBuilder().setPid(pid).build();
        this.stdio = stdio;
        this.stdin = stdio.stdinFd().map(fd -> new InputChannel(fd, "stdin of process " + pid, true));
        this.terminalInput = stdio.pty().map(p -> new InputChannel(p.masterFd(), "PTY of process " + pid, false));
        hub.subscribe(first);
    }

    int pid() {
        return pid;
    }

    ProcessInfo info() {
        return info;
    }

    Optional<String> tag() {
        return info.hasTag() ? Optional.of(info.getTag()) : Optional.empty();
    }

    void subscribe(Subscription subscription) {
        hub.subscribe(subscription);
    }

    void unsubscribe(Subscription subscription) {
        hub.unsubscribe(subscription);
    }

    /** Signals the whole process group, so children the command started get it too. */
    void signal(int signal) {
        try {
            if (!Posix.kill(-pid, signal)) {
                Posix.kill(pid, signal);
            }
        } catch (ErrnoException e) {
            throw new ConnectException(
                    Code.INTERNAL, "sending signal " + signal + " to process " + pid + ": " + e.getMessage(), e);
        }
    }

    void write(ProcessInput input) {
        switch (input.getInputCase()) {
            case STDIN -> requireStdin("send stdin").write(input.getStdin().toByteArray());
            case PTY ->
                terminalInput
                        .orElseThrow(() -> notPty("send PTY input"))
                        .write(input.getPty().toByteArray());
            case INPUT_NOT_SET ->
                throw ConnectException.invalidArgument("input for process " + pid + " is empty: set stdin or pty");
        }
    }

    void closeStdin() {
        requireStdin("close stdin").close();
    }

    private InputChannel requireStdin(String operation) {
        if (terminalInput.isPresent()) {
            throw new ConnectException(
                    Code.FAILED_PRECONDITION,
                    "cannot " + operation + " of process " + pid + ": it runs in a PTY; send PTY input instead");
        }
        return stdin.orElseThrow(() -> new ConnectException(
                Code.FAILED_PRECONDITION,
                "cannot " + operation + " of process " + pid + ": it was started with stdin disabled"));
    }

    void resize(int cols, int rows) {
        Pty pty = stdio.pty().orElseThrow(() -> notPty("resize"));
        if (cols <= 0 || rows <= 0) {
            throw ConnectException.invalidArgument("resizing the PTY of process " + pid
                    + ": cols and rows must be positive, got " + cols + "x" + rows);
        }
        try {
            pty.resize(cols, rows);
        } catch (ErrnoException e) {
            throw new ConnectException(
                    Code.FAILED_PRECONDITION, "resizing the PTY of process " + pid + ": " + e.getMessage(), e);
        }
    }

    private ConnectException notPty(String operation) {
        return new ConnectException(
                Code.FAILED_PRECONDITION,
                "cannot " + operation + " for process " + pid + ": it was not started with a PTY");
    }

    /** Pumps output until done, reaps the child, then reports the end; runs on the process's platform thread. */
    void supervise(SpawnedChildren children, Duration exitGrace, Runnable onFinished) {
        ProcessEvent end;
        OptionalInt exitFd = OptionalInt.empty();
        try {
            exitFd = Posix.pidfdOpen(pid);
            OutputPump.ChildExit exit = new OutputPump.ChildExit(exitFd, () -> tryReap(children));
            new OutputPump(stdio.outputs(), hub::publish, exitGrace).run(exit);
            end = ExitStatus.fromWaitStatus(waitStatus != null ? waitStatus : children.reap(pid))
                    .toEndEvent();
        } catch (ErrnoException | RuntimeException e) {
            log.error("supervising process {} failed", pid, e);
            end = failedEnd(children, e);
        }
        exitFd.ifPresent(Posix::closeQuietly);
        closeIo();
        onFinished.run();
        hub.finish(end);
    }

    private boolean tryReap(SpawnedChildren children) {
        if (waitStatus == null) {
            try {
                OptionalInt status = children.tryReap(pid);
                status.ifPresent(s -> waitStatus = s);
            } catch (ErrnoException e) {
                throw new IllegalStateException("waiting for process " + pid + ": " + e.getMessage(), e);
            }
        }
        return waitStatus != null;
    }

    /** The pump broke: still reap the child (no zombie) and tell the client what happened. */
    private ProcessEvent failedEnd(SpawnedChildren children, Exception cause) {
        try {
            if (waitStatus == null) {
                signal(Posix.SIGKILL);
                waitStatus = children.reap(pid);
            }
            ProcessEvent end = ExitStatus.fromWaitStatus(waitStatus).toEndEvent();
            return end.toBuilder()
                    .setEnd(end.getEnd().toBuilder().setError(cause.getMessage()))
                    .build();
        } catch (ErrnoException | RuntimeException e) {
            return ProcessEvent.newBuilder()
                    .setEnd(ProcessEvent.EndEvent.newBuilder()
                            .setExitCode(-1)
                            .setStatus("unknown")
                            .setError(cause.getMessage()))
                    .build();
        }
    }

    private void closeIo() {
        stdin.ifPresent(InputChannel::close);
        terminalInput.ifPresent(InputChannel::close);
        stdio.closeOutputs();
        stdio.pty().ifPresent(Pty::close);
    }

    Optional<ProcessEvent> end() {
        return hub.end();
    }
}
