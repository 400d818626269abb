package dev.wrenn.host.guest;

import com.google.protobuf.ByteString;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.client.ServerStream;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import dev.wrenn.protocol.envd.process.StartResponse;
import java.util.Optional;

/**
 * The events of one started process, read from the guest as the caller asks for them, keepalives skipped. Not
 * thread-safe, except {@link #close()}, which abandons the stream from any thread (the process keeps running).
 */
public final class ProcessEvents implements AutoCloseable {
    private final ServerStream<StartResponse> stream;
    private final String sandboxId;
    private final String operation;
    private final GuestFaults faults;
    private volatile int pid = -1;
    private boolean ended;

    ProcessEvents(ServerStream<StartResponse> stream, String sandboxId, String operation, GuestFaults faults) {
        this.stream = stream;
        this.sandboxId = sandboxId;
        this.operation = operation;
        this.faults = faults;
    }

    /** The next event, or empty after the end event. Throws when the stream breaks before the end. */
    public Optional<ExecEvent> next() {
        while (!ended) {
            ProcessEvent event = read();
            switch (event.getEventCase()) {
                case START -> {
                    pid = event.getStart().getPid();
                    return Optional.of(new ExecEvent.Started(pid));
                }
                case DATA -> {
                    return Optional.of(output(event.getData()));
                }
                case END -> {
                    ended = true;
                    return Optional.of(ended(event.getEnd()));
                }
                case KEEPALIVE, EVENT_NOT_SET -> {
                    // Keepalives only keep idle connections open; nothing to report.
                }
            }
        }
        return Optional.empty();
    }

    /** The process id once the start event was read, else -1. */
    public int pid() {
        return pid;
    }

    @Override
    public void close() {
        stream.close();
    }

    private ProcessEvent read() {
        try {
            if (!stream.hasNext()) {
                throw new HostAgentException(
                        ErrorCode.UNAVAILABLE,
                        EnvdErrors.describe(sandboxId, operation, "the guest ended the stream without an end event"));
            }
            return stream.next().getEvent();
        } catch (ConnectException e) {
            throw EnvdErrors.fromConnect(sandboxId, operation, e, faults);
        }
    }

    private static ExecEvent.Output output(ProcessEvent.DataEvent data) {
        return switch (data.getOutputCase()) {
            case STDERR -> new ExecEvent.Output(true, data.getStderr());
            case STDOUT -> new ExecEvent.Output(false, data.getStdout());
            case PTY -> new ExecEvent.Output(false, data.getPty());
            case OUTPUT_NOT_SET -> new ExecEvent.Output(false, ByteString.EMPTY);
        };
    }

    /** A process killed by a signal did not exit on its own: say why. A non-zero exit code is not an error. */
    private static ExecEvent.Ended ended(ProcessEvent.EndEvent end) {
        String error = end.getExited() ? "" : end.hasError() ? end.getError() : end.getStatus();
        return new ExecEvent.Ended(end.getExitCode(), error);
    }
}
