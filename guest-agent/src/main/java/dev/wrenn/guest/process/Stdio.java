package dev.wrenn.guest.process;

import dev.wrenn.guest.process.OutputPump.Channel;
import dev.wrenn.guest.process.OutputPump.Source;
import dev.wrenn.guest.process.pty.Pty;
import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.Posix;
import dev.wrenn.guest.process.sys.SpawnSpec.FdAction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The descriptors of one process before and after it starts: what the child gets as 0, 1 and 2, the ends the
 * agent keeps (output sources, stdin or PTY input), and the child's ends, which the agent closes once the child
 * has its copies (else the agent would never see end of file).
 */
final class Stdio {
    private final List<FdAction> childActions = new ArrayList<>();
    private final List<Integer> childEnds = new ArrayList<>();
    private final List<Integer> agentEnds = new ArrayList<>();
    private final List<Source> outputs = new ArrayList<>();
    private Integer stdinFd;
    private Pty pty;

    private Stdio() {}

    /** stdout and stderr pipes; a stdin pipe when {@code stdin}, else /dev/null. */
    static Stdio pipes(boolean stdin) throws ErrnoException {
        Stdio stdio = new Stdio();
        try {
            if (stdin) {
                stdio.stdinFd = stdio.pipeInto(0, false);
            } else {
                stdio.childActions.add(new FdAction.Open("/dev/null", Posix.O_RDONLY, 0));
            }
            stdio.outputs.add(new Source(stdio.pipeInto(1, true), Channel.STDOUT));
            stdio.outputs.add(new Source(stdio.pipeInto(2, true), Channel.STDERR));
            return stdio;
        } catch (ErrnoException | RuntimeException e) {
            stdio.closeAll();
            throw e;
        }
    }

    /**
     * A new terminal, opened by the child as 0 (its controlling terminal) and duplicated to 1 and 2, and owned by
     * {@code uid} as a login terminal is, so programs that reopen it by name may.
     */
    static Stdio terminal(int cols, int rows, int uid) throws IOException {
        Stdio stdio = new Stdio();
        stdio.pty = Pty.open(cols, rows);
        try {
            stdio.pty.setOwner(uid);
        } catch (IOException | RuntimeException e) {
            stdio.closeAll();
            throw e;
        }
        stdio.childActions.add(new FdAction.Open(stdio.pty.slavePath(), Posix.O_RDWR, 0));
        stdio.childActions.add(new FdAction.Dup(0, 1));
        stdio.childActions.add(new FdAction.Dup(0, 2));
        stdio.outputs.add(new Source(stdio.pty.masterFd(), Channel.PTY));
        return stdio;
    }

    /** Makes a pipe for child descriptor {@code target}; returns the agent's (non-blocking) end. */
    private int pipeInto(int target, boolean childWrites) throws ErrnoException {
        int[] ends = Posix.pipe();
        int childEnd = childWrites ? ends[1] : ends[0];
        int agentEnd = childWrites ? ends[0] : ends[1];
        childEnds.add(childEnd);
        agentEnds.add(agentEnd);
        childActions.add(new FdAction.Dup(childEnd, target));
        Posix.setNonBlocking(agentEnd);
        return agentEnd;
    }

    List<FdAction> childActions() {
        return childActions;
    }

    List<Source> outputs() {
        return outputs;
    }

    Optional<Integer> stdinFd() {
        return Optional.ofNullable(stdinFd);
    }

    Optional<Pty> pty() {
        return Optional.ofNullable(pty);
    }

    void closeChildEnds() {
        childEnds.forEach(Posix::closeQuietly);
        childEnds.clear();
    }

    /** Closes the output ends after the pump stopped (stdin is closed by its {@link InputChannel}). */
    void closeOutputs() {
        outputs.stream().filter(o -> o.channel() != Channel.PTY).forEach(o -> Posix.closeQuietly(o.fd()));
    }

    /** Clean-up when the child could not be started. */
    void closeAll() {
        closeChildEnds();
        agentEnds.forEach(Posix::closeQuietly);
        if (pty != null) {
            pty.close();
        }
    }
}
