package dev.wrenn.host.api;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.EnvdClient;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.ExecEvent;
import dev.wrenn.host.guest.ExecResult;
import dev.wrenn.host.guest.ProcessEvents;
import dev.wrenn.host.guest.ProcessSpec;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.protocol.hostagent.v1.ExecData;
import dev.wrenn.protocol.hostagent.v1.ExecEnd;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStart;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.Optional;

/**
 * Exec and ExecStream: the command runs directly ({@code cmd} with {@code args}, no shell) through the guest agent's
 * process.Process/Start, as the sandbox's default user unless the request names one.
 */
final class ExecCalls {
    static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(30);
    // Exec returns everything in one message; more than this belongs in ExecStream.
    static final int MAX_EXEC_OUTPUT_BYTES = 32 << 20;

    private final SandboxManager manager;
    private final EnvdClients clients;

    ExecCalls(SandboxManager manager, EnvdClients clients) {
        this.manager = manager;
        this.clients = clients;
    }

    ExecResponse exec(ExecRequest request) {
        String operation = "exec in sandbox " + request.getSandboxId();
        validate(request.getSandboxId(), request.getCmd(), operation);
        Duration timeout = Requests.timeout(request.getTimeoutSec(), DEFAULT_EXEC_TIMEOUT, operation);
        ProcessSpec spec = new ProcessSpec(
                request.getCmd(), request.getArgsList(), request.getEnvsMap(), request.getCwd(), request.getUser());
        EnvdClient envd = clients.forGuest(manager.guest(request.getSandboxId()));
        ExecResult result = envd.run(spec, timeout, MAX_EXEC_OUTPUT_BYTES);
        manager.markActive(request.getSandboxId());
        return ExecResponse.newBuilder()
                .setStdout(result.stdout())
                .setStderr(result.stderr())
                .setExitCode(result.exitCode())
                .build();
    }

    /**
     * Streams start, output and end in the order the guest reports them. A caller that hangs up kills the process:
     * with no timeout it would otherwise run on with nobody to read it.
     */
    void execStream(ExecStreamRequest request, ServerCallStreamObserver<ExecStreamResponse> observer) {
        String operation = "exec stream in sandbox " + request.getSandboxId();
        OutboundFlow<ExecStreamResponse> flow = new OutboundFlow<>(observer, operation);
        try {
            validate(request.getSandboxId(), request.getCmd(), operation);
            Duration timeout = Requests.timeout(request.getTimeoutSec(), null, operation);
            ProcessSpec spec = new ProcessSpec(
                    request.getCmd(), request.getArgsList(), request.getEnvsMap(), request.getCwd(), request.getUser());
            EnvdClient envd = clients.forGuest(manager.guest(request.getSandboxId()));
            try (ProcessEvents events = envd.start(spec, timeout)) {
                flow.onCancel(() -> abandon(envd, events));
                relayUntilDeadline(envd, events, flow, timeout);
            }
            manager.markActive(request.getSandboxId());
            flow.complete();
        } catch (HostAgentException e) {
            flow.fail(e);
        }
    }

    /**
     * A process that outlives the stream's timeout is killed (the guest does so at the deadline; this makes sure)
     * and the stream ends like any other, with an end event whose error says why.
     */
    private static void relayUntilDeadline(
            EnvdClient envd, ProcessEvents events, OutboundFlow<ExecStreamResponse> flow, Duration timeout) {
        try {
            relay(events, flow);
        } catch (HostAgentException e) {
            if (e.code() != ErrorCode.DEADLINE_EXCEEDED || events.pid() <= 0) {
                throw e;
            }
            abandon(envd, events);
            flow.send(toProto(new ExecEvent.Ended(-1, "timed out after " + timeout + "; the process was killed")));
        }
    }

    private static void relay(ProcessEvents events, OutboundFlow<ExecStreamResponse> flow) {
        for (Optional<ExecEvent> event = events.next(); event.isPresent(); event = events.next()) {
            flow.send(toProto(event.get()));
        }
    }

    private static ExecStreamResponse toProto(ExecEvent event) {
        ExecStreamResponse.Builder response = ExecStreamResponse.newBuilder();
        return switch (event) {
            case ExecEvent.Started started ->
                response.setStart(ExecStart.newBuilder().setPid(started.pid())).build();
            case ExecEvent.Output output ->
                response.setData(
                                output.stderr()
                                        ? ExecData.newBuilder().setStderr(output.data())
                                        : ExecData.newBuilder().setStdout(output.data()))
                        .build();
            case ExecEvent.Ended end ->
                response.setEnd(ExecEnd.newBuilder().setExitCode(end.exitCode()).setError(end.error()))
                        .build();
        };
    }

    private static void abandon(EnvdClient envd, ProcessEvents events) {
        events.close();
        if (events.pid() > 0) {
            try {
                envd.kill(events.pid());
            } catch (HostAgentException ignored) {
                // The caller is gone; nobody to tell that the process could not be killed.
            }
        }
    }

    private static void validate(String sandboxId, String cmd, String operation) {
        Requests.requireSandboxId(sandboxId, operation);
        Requests.require(!cmd.isEmpty(), operation, "cmd is empty");
    }
}
