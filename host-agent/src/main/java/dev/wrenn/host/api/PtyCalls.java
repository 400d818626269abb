package dev.wrenn.host.api;

import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.EnvdClient;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.ExecEvent;
import dev.wrenn.host.guest.ProcessEvents;
import dev.wrenn.host.guest.ProcessSpec;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.protocol.hostagent.v1.ExecEnd;
import dev.wrenn.protocol.hostagent.v1.ExecStart;
import dev.wrenn.protocol.hostagent.v1.PtyInputRequest;
import dev.wrenn.protocol.hostagent.v1.PtyKillRequest;
import dev.wrenn.protocol.hostagent.v1.PtyResizeRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Optional;

/**
 * A terminal in a sandbox: PtyStart runs a command on a new pseudo-terminal through the guest agent and streams what
 * it prints; PtyInput, PtyResize and PtyKill address that process by its pid. A caller that cancels PtyStart kills
 * the process, so a closed browser tab leaves no shell behind.
 */
final class PtyCalls {
    static final int DEFAULT_COLS = 80;
    static final int DEFAULT_ROWS = 24;
    private static final int MAX_SIZE = 1000;

    private final SandboxManager manager;
    private final EnvdClients clients;

    PtyCalls(SandboxManager manager, EnvdClients clients) {
        this.manager = manager;
        this.clients = clients;
    }

    void start(PtyStartRequest request, ServerCallStreamObserver<PtyStartResponse> observer) {
        String operation = "start a terminal in sandbox " + request.getSandboxId();
        OutboundFlow<PtyStartResponse> flow = new OutboundFlow<>(observer, operation);
        try {
            Requests.requireSandboxId(request.getSandboxId(), operation);
            Requests.require(!request.getCmd().isEmpty(), operation, "cmd is empty");
            EnvdClient envd = clients.forGuest(manager.guest(request.getSandboxId()));
            ProcessSpec spec = new ProcessSpec(
                    request.getCmd(), request.getArgsList(), request.getEnvsMap(), request.getCwd(), request.getUser());
            int cols = size(request.getCols(), DEFAULT_COLS, "cols", operation);
            int rows = size(request.getRows(), DEFAULT_ROWS, "rows", operation);
            try (ProcessEvents events = envd.startPty(spec, cols, rows)) {
                flow.onCancel(() -> abandon(envd, events));
                relay(events, flow);
            }
            manager.markActive(request.getSandboxId());
            flow.complete();
        } catch (HostAgentException e) {
            flow.fail(e);
        }
    }

    void input(PtyInputRequest request) {
        String operation = "type into terminal " + request.getPid() + " in sandbox " + request.getSandboxId();
        guest(request.getSandboxId(), request.getPid(), operation).sendPtyInput(request.getPid(), request.getData());
        manager.markActive(request.getSandboxId());
    }

    void resize(PtyResizeRequest request) {
        String operation = "resize terminal " + request.getPid() + " in sandbox " + request.getSandboxId();
        int cols = size(request.getCols(), 0, "cols", operation);
        int rows = size(request.getRows(), 0, "rows", operation);
        Requests.require(cols > 0 && rows > 0, operation, "cols and rows must be positive");
        guest(request.getSandboxId(), request.getPid(), operation).resizePty(request.getPid(), cols, rows);
    }

    void kill(PtyKillRequest request) {
        String operation = "kill terminal " + request.getPid() + " in sandbox " + request.getSandboxId();
        guest(request.getSandboxId(), request.getPid(), operation).kill(request.getPid());
    }

    private EnvdClient guest(String sandboxId, int pid, String operation) {
        Requests.requireSandboxId(sandboxId, operation);
        Requests.require(pid > 0, operation, "pid must be positive");
        return clients.forGuest(manager.guest(sandboxId));
    }

    private static int size(int requested, int whenZero, String field, String operation) {
        Requests.require(
                requested <= MAX_SIZE, operation, field + " must be at most " + MAX_SIZE + ", got " + requested);
        return requested == 0 ? whenZero : requested;
    }

    private static void relay(ProcessEvents events, OutboundFlow<PtyStartResponse> flow) {
        for (Optional<ExecEvent> event = events.next(); event.isPresent(); event = events.next()) {
            flow.send(toProto(event.get()));
        }
    }

    private static PtyStartResponse toProto(ExecEvent event) {
        PtyStartResponse.Builder response = PtyStartResponse.newBuilder();
        return switch (event) {
            case ExecEvent.Started started ->
                response.setStarted(ExecStart.newBuilder().setPid(started.pid()))
                        .build();
            case ExecEvent.Output output -> response.setOutput(output.data()).build();
            case ExecEvent.Ended end ->
                response.setExit(
                                ExecEnd.newBuilder().setExitCode(end.exitCode()).setError(end.error()))
                        .build();
        };
    }

    private static void abandon(EnvdClient envd, ProcessEvents events) {
        events.close();
        if (events.pid() > 0) {
            try {
                envd.kill(events.pid());
            } catch (HostAgentException ignored) {
                // The caller is gone; nobody to tell that the terminal could not be killed.
            }
        }
    }
}
