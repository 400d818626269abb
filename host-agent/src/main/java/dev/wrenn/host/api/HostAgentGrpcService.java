package dev.wrenn.host.api;

import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.SandboxSummary;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxRequest;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxResponse;
import dev.wrenn.protocol.hostagent.v1.GetSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.PingSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PingSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The host agent's gRPC service over the {@link SandboxManager}. Exec, files, pause/resume and snapshots are not
 * implemented yet and answer UNIMPLEMENTED (the generated base class's default).
 */
public final class HostAgentGrpcService extends HostAgentServiceGrpc.HostAgentServiceImplBase {
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(3);

    private final SandboxManager manager;

    public HostAgentGrpcService(SandboxManager manager) {
        this.manager = manager;
    }

    @Override
    public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> response) {
        answer(response, () -> {
            SandboxSummary sandbox = manager.create(ProtoMapping.request(request));
            return CreateSandboxResponse.newBuilder()
                    .setSandboxId(sandbox.sandboxId())
                    .setStatus(ProtoMapping.status(sandbox.state()))
                    .setHostIp(sandbox.hostIp().toString())
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
