package dev.wrenn.host.api;

import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.SandboxSummary;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxRequest;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxResponse;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.GetSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.PingSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PingSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
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
 * {@link ExecCalls} and {@link FileCalls}. Pause/resume and snapshots are not implemented yet and answer
 * UNIMPLEMENTED (the generated base class's default).
 */
public final class HostAgentGrpcService extends HostAgentServiceGrpc.HostAgentServiceImplBase {
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(3);

    private final SandboxManager manager;
    private final ExecCalls exec;
    private final FileCalls files;

    /** With its own guest-agent clients, which live as long as the process. */
    public HostAgentGrpcService(SandboxManager manager) {
        this(manager, new EnvdClients());
    }

    /** @param guests the clients of the sandboxes' guest agents (the caller closes them after the server) */
    public HostAgentGrpcService(SandboxManager manager, EnvdClients guests) {
        this.manager = manager;
        this.exec = new ExecCalls(manager, guests);
        this.files = new FileCalls(manager, guests);
    }

    @Override
    public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> response) {
        answer(response, () -> {
            SandboxSummary sandbox = manager.create(ProtoMapping.request(request));
            return CreateSandboxResponse.newBuilder()
                    .setSandboxId(sandbox.sandboxId())
                    .setStatus(ProtoMapping.status(sandbox.state()))
                    .setHostIp(sandbox.hostIp().toString())
                    .setEnvdAccessToken(sandbox.envdAccessToken())
                    .build();
        });
    }

    @Override
    public void destroySandbox(DestroySandboxRequest request, StreamObserver<DestroySandboxResponse> response) {
        answer(response, () -> {
            manager.destroy(request.getSandboxId());
            return DestroySandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void listSandboxes(ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> response) {
        answer(
                response,
                () -> ListSandboxesResponse.newBuilder()
                        .addAllSandboxes(
                                manager.list().stream().map(ProtoMapping::info).toList())
                        .build());
    }

    @Override
    public void getSandbox(GetSandboxRequest request, StreamObserver<SandboxInfo> response) {
        answer(response, () -> ProtoMapping.info(manager.get(request.getSandboxId())));
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
