package dev.wrenn.host.api;

import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.GuestFaults;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.SandboxSummary;
import dev.wrenn.host.sandbox.TemplateSummary;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateProgress;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.DeleteSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.DeleteSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxRequest;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxResponse;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.GetMetricsRequest;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.GetSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListDirRequest;
import dev.wrenn.protocol.hostagent.v1.ListDirResponse;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.ListSnapshotsRequest;
import dev.wrenn.protocol.hostagent.v1.ListSnapshotsResponse;
import dev.wrenn.protocol.hostagent.v1.PauseSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PauseSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.PingSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PingSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.PtyInputRequest;
import dev.wrenn.protocol.hostagent.v1.PtyInputResponse;
import dev.wrenn.protocol.hostagent.v1.PtyKillRequest;
import dev.wrenn.protocol.hostagent.v1.PtyKillResponse;
import dev.wrenn.protocol.hostagent.v1.PtyResizeRequest;
import dev.wrenn.protocol.hostagent.v1.PtyResizeResponse;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamResponse;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import dev.wrenn.protocol.hostagent.v1.UpdateSandboxNetworkRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileResponse;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The host agent's gRPC service over the {@link SandboxManager}; exec and file calls are delegated to
 * {@link ExecCalls} and {@link FileCalls}. ListSandboxes reports paused sandboxes too (status PAUSED, empty host_ip)
 * and, in {@code auto_paused_sandbox_ids}, those the inactivity reaper paused since the previous call.
 */
public final class HostAgentGrpcService extends HostAgentServiceGrpc.HostAgentServiceImplBase {
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(3);

    private final SandboxManager manager;
    private final GuestFaults faults;
    private final ExecCalls exec;
    private final FileCalls files;
    private final ConsoleCalls console;
    private final PtyCalls pty;
    private final ImageBuildCalls imageBuilds;

    /** With its own guest-agent clients, which live as long as the process. */
    public HostAgentGrpcService(SandboxManager manager) {
        this(manager, new EnvdClients());
    }

    /** @param guests the clients of the sandboxes' guest agents (the caller closes them after the server) */
    public HostAgentGrpcService(SandboxManager manager, EnvdClients guests) {
        this.manager = manager;
        this.faults = guests.faults();
        this.exec = new ExecCalls(manager, guests);
        this.files = new FileCalls(manager, guests);
        this.console = new ConsoleCalls(manager, guests);
        this.pty = new PtyCalls(manager, guests);
        this.imageBuilds = new ImageBuildCalls(manager);
    }

    @Override
    public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> response) {
        answer(response, () -> {
            SandboxSummary sandbox = manager.create(ProtoMapping.request(request));
            return CreateSandboxResponse.newBuilder()
                    .setSandboxId(sandbox.sandboxId())
                    .setStatus(ProtoMapping.status(sandbox.state()))
                    .setHostIp(ProtoMapping.hostIp(sandbox))
                    .setEnvdAccessToken(sandbox.envdAccessToken())
                    .build();
        });
    }

    @Override
    public void destroySandbox(DestroySandboxRequest request, StreamObserver<DestroySandboxResponse> response) {
        answer(response, () -> {
            manager.destroy(request.getSandboxId());
            faults.forget(request.getSandboxId());
            return DestroySandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void listSandboxes(ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> response) {
        answer(
                response,
                () -> ListSandboxesResponse.newBuilder()
                        .addAllSandboxes(manager.list().stream().map(this::info).toList())
                        .addAllAutoPausedSandboxIds(manager.drainAutoPaused())
                        .build());
    }

    @Override
    public void getSandbox(GetSandboxRequest request, StreamObserver<SandboxInfo> response) {
        answer(response, () -> info(manager.get(request.getSandboxId())));
    }

    /** The manager's view plus, when its guest agent misbehaved, why the sandbox is unhealthy. */
    private SandboxInfo info(SandboxSummary sandbox) {
        SandboxInfo info = ProtoMapping.info(sandbox);
        return faults.reason(sandbox.sandboxId())
                .map(reason -> info.toBuilder().setGuestFault(reason).build())
                .orElse(info);
    }

    @Override
    public void updateSandboxNetwork(UpdateSandboxNetworkRequest request, StreamObserver<SandboxInfo> response) {
        answer(response, () -> {
            Requests.requireSandboxId(request.getSandboxId(), "updating a sandbox's network");
            return info(manager.updateEgress(request.getSandboxId(), ProtoMapping.egress(request.getEgress())));
        });
    }

    @Override
    public void pingSandbox(PingSandboxRequest request, StreamObserver<PingSandboxResponse> response) {
        answer(response, () -> {
            manager.ping(request.getSandboxId(), PING_TIMEOUT);
            return PingSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void exec(ExecRequest request, StreamObserver<ExecResponse> response) {
        answer(response, () -> exec.exec(request));
    }

    @Override
    public void execStream(ExecStreamRequest request, StreamObserver<ExecStreamResponse> response) {
        exec.execStream(request, (ServerCallStreamObserver<ExecStreamResponse>) response);
    }

    @Override
    public void writeFile(WriteFileRequest request, StreamObserver<WriteFileResponse> response) {
        answer(response, () -> {
            files.writeFile(request);
            return WriteFileResponse.getDefaultInstance();
        });
    }

    @Override
    public void readFile(ReadFileRequest request, StreamObserver<ReadFileResponse> response) {
        answer(response, () -> files.readFile(request));
    }

    @Override
    public StreamObserver<WriteFileStreamRequest> writeFileStream(StreamObserver<WriteFileStreamResponse> response) {
        return files.writeFileStream((ServerCallStreamObserver<WriteFileStreamResponse>) response);
    }

    @Override
    public void readFileStream(ReadFileStreamRequest request, StreamObserver<ReadFileStreamResponse> response) {
        files.readFileStream(request, (ServerCallStreamObserver<ReadFileStreamResponse>) response);
    }

    @Override
    public void pauseSandbox(PauseSandboxRequest request, StreamObserver<PauseSandboxResponse> response) {
        answer(response, () -> {
            Requests.requireSandboxId(request.getSandboxId(), "pausing a sandbox");
            manager.pause(request.getSandboxId());
            return PauseSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void resumeSandbox(ResumeSandboxRequest request, StreamObserver<ResumeSandboxResponse> response) {
        answer(response, () -> {
            Requests.requireSandboxId(request.getSandboxId(), "resuming a sandbox");
            Requests.require(
                    request.getTimeoutSec() >= 0,
                    "resuming sandbox " + request.getSandboxId(),
                    "timeout_sec must not be negative, got " + request.getTimeoutSec());
            SandboxSummary sandbox = manager.resume(
                    request.getSandboxId(),
                    request.getTimeoutSec(),
                    request.hasEgress() ? ProtoMapping.egress(request.getEgress()) : null);
            return ResumeSandboxResponse.newBuilder()
                    .setSandboxId(sandbox.sandboxId())
                    .setStatus(ProtoMapping.status(sandbox.state()))
                    .setHostIp(ProtoMapping.hostIp(sandbox))
                    .build();
        });
    }

    @Override
    public void createSnapshot(CreateSnapshotRequest request, StreamObserver<CreateSnapshotResponse> response) {
        answer(response, () -> {
            Requests.requireSandboxId(request.getSandboxId(), "making a template");
            TemplateSummary template =
                    manager.createSnapshot(request.getSandboxId(), request.getName(), request.getReplace());
            return CreateSnapshotResponse.newBuilder()
                    .setName(template.name())
                    .setSizeBytes(template.sizeBytes())
                    .build();
        });
    }

    @Override
    public void deleteSnapshot(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> response) {
        answer(response, () -> {
            manager.deleteSnapshot(request.getName());
            return DeleteSnapshotResponse.getDefaultInstance();
        });
    }

    @Override
    public void listSnapshots(ListSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> response) {
        answer(response, () -> ProtoMapping.snapshots(manager.listTemplates()));
    }

    @Override
    public void listDir(ListDirRequest request, StreamObserver<ListDirResponse> response) {
        answer(response, () -> console.listDir(request));
    }

    @Override
    public void getMetrics(GetMetricsRequest request, StreamObserver<GetMetricsResponse> response) {
        answer(response, () -> console.metrics(request));
    }

    @Override
    public void ptyStart(PtyStartRequest request, StreamObserver<PtyStartResponse> response) {
        pty.start(request, (ServerCallStreamObserver<PtyStartResponse>) response);
    }

    @Override
    public void ptyInput(PtyInputRequest request, StreamObserver<PtyInputResponse> response) {
        answer(response, () -> {
            pty.input(request);
            return PtyInputResponse.getDefaultInstance();
        });
    }

    @Override
    public void ptyResize(PtyResizeRequest request, StreamObserver<PtyResizeResponse> response) {
        answer(response, () -> {
            pty.resize(request);
            return PtyResizeResponse.getDefaultInstance();
        });
    }

    @Override
    public void ptyKill(PtyKillRequest request, StreamObserver<PtyKillResponse> response) {
        answer(response, () -> {
            pty.kill(request);
            return PtyKillResponse.getDefaultInstance();
        });
    }

    @Override
    public void buildImageTemplate(
            BuildImageTemplateRequest request, StreamObserver<BuildImageTemplateProgress> response) {
        imageBuilds.build(request, (ServerCallStreamObserver<BuildImageTemplateProgress>) response);
    }

    private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
