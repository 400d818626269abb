package dev.wrenn.control.hosts;

import com.google.protobuf.ByteString;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.DeleteSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.DeleteSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.ExecData;
import dev.wrenn.protocol.hostagent.v1.ExecEnd;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStart;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.PauseSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PauseSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.PingSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PingSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A host agent whose answers each test knows in advance. */
final class ScriptedHostAgent extends HostAgentServiceGrpc.HostAgentServiceImplBase {
    final CountDownLatch cancelled = new CountDownLatch(1);
    final ByteArrayOutputStream uploaded = new ByteArrayOutputStream();
    final List<Integer> chunkSizes = new CopyOnWriteArrayList<>();
    volatile String uploadedPath;

    @Override
    public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> response) {
        if (request.getTemplate().equals("missing")) {
            response.onError(Status.NOT_FOUND
                    .withDescription("template missing not found")
                    .asRuntimeException());
            return;
        }
        response.onNext(CreateSandboxResponse.newBuilder()
                .setSandboxId(request.getSandboxId())
                .setStatus(SandboxStatus.SANDBOX_STATUS_RUNNING)
                .setHostIp("10.11.0.1")
                .build());
        response.onCompleted();
    }

    @Override
    public void pingSandbox(PingSandboxRequest request, StreamObserver<PingSandboxResponse> response) {
        response.onError(
                Status.FAILED_PRECONDITION.withDescription("sandbox is paused").asRuntimeException());
    }

    @Override
    public void pauseSandbox(PauseSandboxRequest request, StreamObserver<PauseSandboxResponse> response) {
        response.onError(
                Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());
    }

    @Override
    public void deleteSnapshot(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> response) {
        response.onError(
                Status.INVALID_ARGUMENT.withDescription("bad snapshot name").asRuntimeException());
    }

    /**
     * {@code sb-busy}: the sandbox's queue of commands waiting to start is full; {@code sb-hostfull}: the host's;
     * both with the host agent's retry-after trailer. Anything else runs and prints "ok".
     */
    @Override
    public void exec(ExecRequest request, StreamObserver<ExecResponse> response) {
        Metadata retryAfter = new Metadata();
        retryAfter.put(AgentErrors.RETRY_AFTER, "7");
        switch (request.getSandboxId()) {
            case "sb-busy" ->
                response.onError(Status.RESOURCE_EXHAUSTED
                        .withDescription("sandbox sb-busy already has 1024 commands waiting to start")
                        .asRuntimeException(retryAfter));
            case "sb-hostfull" ->
                response.onError(Status.UNAVAILABLE
                        .withDescription("this host already has 8192 commands waiting to start")
                        .asRuntimeException(retryAfter));
            default -> {
                response.onNext(ExecResponse.newBuilder()
                        .setStdout(ByteString.copyFromUtf8("ok"))
                        .build());
                response.onCompleted();
            }
        }
    }

    @Override
    public void execStream(ExecStreamRequest request, StreamObserver<ExecStreamResponse> response) {
        response.onNext(ExecStreamResponse.newBuilder()
                .setStart(ExecStart.newBuilder().setPid(42))
                .build());
        if (request.getCmd().equals("sleep")) {
            ((ServerCallStreamObserver<ExecStreamResponse>) response).setOnCancelHandler(cancelled::countDown);
            return; // runs until the client cancels
        }
        response.onNext(data(ExecData.newBuilder().setStdout(ByteString.copyFromUtf8("out"))));
        response.onNext(data(ExecData.newBuilder().setStderr(ByteString.copyFromUtf8("err"))));
        response.onNext(ExecStreamResponse.newBuilder()
                .setEnd(ExecEnd.newBuilder().setExitCode(3))
                .build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<WriteFileStreamRequest> writeFileStream(StreamObserver<WriteFileStreamResponse> response) {
        return new StreamObserver<>() {
            private boolean refused;

            @Override
            public void onNext(WriteFileStreamRequest message) {
                if (message.hasMeta()) {
                    uploadedPath = message.getMeta().getPath();
                    if (message.getMeta().getSandboxId().equals("sb-gone")) {
                        refused = true;
                        response.onError(Status.NOT_FOUND
                                .withDescription("sandbox sb-gone not found")
                                .asRuntimeException());
                    }
                } else if (!refused) {
                    chunkSizes.add(message.getChunk().size());
                    uploaded.writeBytes(message.getChunk().toByteArray());
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                if (!refused) {
                    response.onNext(WriteFileStreamResponse.newBuilder()
                            .setBytesWritten(uploaded.size())
                            .build());
                    response.onCompleted();
                }
            }
        };
    }

    @Override
    public void readFileStream(ReadFileStreamRequest request, StreamObserver<ReadFileStreamResponse> response) {
        for (String chunk : List.of("one", "two", "three")) {
            response.onNext(ReadFileStreamResponse.newBuilder()
                    .setChunk(ByteString.copyFromUtf8(chunk))
                    .build());
        }
        response.onCompleted();
    }

    private static ExecStreamResponse data(ExecData.Builder data) {
        return ExecStreamResponse.newBuilder().setData(data).build();
    }
}
