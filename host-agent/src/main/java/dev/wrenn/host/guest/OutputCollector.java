package dev.wrenn.host.guest;

import com.google.protobuf.ByteString;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.time.Duration;
import java.util.Optional;

/** Gathers a process's events into one {@link ExecResult}, killing it when it runs too long or talks too much. */
final class OutputCollector {
    private final EnvdClient client;
    private final ProcessSpec spec;
    private final Duration timeout;
    private final int maxOutputBytes;
    // Ropes: concatenation shares the chunks instead of copying them.
    private ByteString stdout = ByteString.EMPTY;
    private ByteString stderr = ByteString.EMPTY;

    OutputCollector(EnvdClient client, ProcessSpec spec, Duration timeout, int maxOutputBytes) {
        this.client = client;
        this.spec = spec;
        this.timeout = timeout;
        this.maxOutputBytes = maxOutputBytes;
    }

    ExecResult collect(ProcessEvents events) {
        try {
            return read(events);
        } catch (HostAgentException e) {
            killQuietly(events.pid());
            if (e.code() == ErrorCode.DEADLINE_EXCEEDED) {
                throw EnvdClient.timedOut(client.guest().sandboxId(), spec, timeout, e);
            }
            throw e;
        }
    }

    private ExecResult read(ProcessEvents events) {
        for (Optional<ExecEvent> event = events.next(); event.isPresent(); event = events.next()) {
            switch (event.get()) {
                case ExecEvent.Started _ -> {}
                case ExecEvent.Output output -> append(output);
                case ExecEvent.Ended end -> {
                    return new ExecResult(events.pid(), stdout, stderr, end.exitCode(), end.error());
                }
            }
        }
        throw new IllegalStateException("process events ended without an end event");
    }

    private void append(ExecEvent.Output output) {
        if (output.stderr()) {
            stderr = stderr.concat(output.data());
        } else {
            stdout = stdout.concat(output.data());
        }
        if (stdout.size() + (long) stderr.size() > maxOutputBytes) {
            throw new HostAgentException(
                    ErrorCode.RESOURCE_EXHAUSTED,
                    EnvdErrors.describe(
                            client.guest().sandboxId(),
                            "running `" + spec.cmd() + "`",
                            "output exceeded " + maxOutputBytes
                                    + " bytes; the process was killed (stream it instead)"));
        }
    }

    /** Best effort: the guest kills it at the deadline anyway; a process that already ended is not an error. */
    private void killQuietly(int pid) {
        if (pid <= 0) {
            return;
        }
        try {
            client.kill(pid);
        } catch (HostAgentException ignored) {
            // Reporting the original failure matters more than a failed clean-up signal.
        }
    }
}
