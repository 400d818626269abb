package dev.wrenn.control.hosts;

import com.google.protobuf.ByteString;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateProgress;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.DeleteSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxRequest;
import dev.wrenn.protocol.hostagent.v1.EgressRules;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.GetMetricsRequest;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.GetSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc.HostAgentServiceBlockingV2Stub;
import dev.wrenn.protocol.hostagent.v1.ListDirRequest;
import dev.wrenn.protocol.hostagent.v1.ListDirResponse;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.ListSnapshotsRequest;
import dev.wrenn.protocol.hostagent.v1.PauseSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PingSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PtyInputRequest;
import dev.wrenn.protocol.hostagent.v1.PtyKillRequest;
import dev.wrenn.protocol.hostagent.v1.PtyResizeRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamResponse;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import dev.wrenn.protocol.hostagent.v1.UpdateSandboxNetworkRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import dev.wrenn.protocol.hostagent.v1.WriteFileRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.BlockingClientCall;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@link HostAgentClient} over gRPC. Unary calls get a deadline of ten minutes (a create may boot a VM under
 * software emulation); streams have none, and closing them cancels the call.
 */
public final class GrpcHostAgentClient implements HostAgentClient {
    static final long UNARY_DEADLINE_MINUTES = 10;
    /** The host agent's exec timeout when the request gives none (its {@code ExecCalls.DEFAULT_EXEC_TIMEOUT}). */
    static final long HOST_DEFAULT_EXEC_TIMEOUT_SEC = 30;
    /**
     * The longest the host agent makes a process start wait for its turn (15 min) and then for the guest's answer
     * (5 min): its {@code StartGates.Config.DEFAULT}.
     */
    static final long HOST_LONGEST_START_SEC = 20 * 60;

    static final int CHUNK_BYTES = 64 * 1024;

    private final ManagedChannel channel;
    private final String address;
    private final HostAgentServiceBlockingV2Stub stub;

    public GrpcHostAgentClient(ManagedChannel channel, String address) {
        this.channel = channel;
        this.address = address;
        this.stub = HostAgentServiceGrpc.newBlockingV2Stub(channel);
    }

    /** A client for the agent at {@code host:port} over {@code credentials}: mutual TLS ({@link HostAgentTls}). */
    public static GrpcHostAgentClient connect(String address, ChannelCredentials credentials) {
        return new GrpcHostAgentClient(
                Grpc.newChannelBuilder(address, credentials).build(), address);
    }

    @Override
    public CreateSandboxResponse createSandbox(CreateSandboxRequest request) {
        return unary("CreateSandbox", sandbox(request.getSandboxId()), s -> s.createSandbox(request));
    }

    @Override
    public void destroySandbox(String sandboxId) {
        unary(
                "DestroySandbox",
                sandbox(sandboxId),
                s -> s.destroySandbox(DestroySandboxRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .build()));
    }

    @Override
    public ListSandboxesResponse listSandboxes() {
        return unary(
                "ListSandboxes",
                "on host agent " + address,
                s -> s.listSandboxes(ListSandboxesRequest.getDefaultInstance()));
    }

    /** The templates the host holds (committed ones only, never its own base templates), for orphan collection. */
    @Override
    public List<HostTemplate> listTemplates() {
        return unary(
                        "ListSnapshots",
                        "on host agent " + address,
                        s -> s.listSnapshots(ListSnapshotsRequest.getDefaultInstance()))
                .getSnapshotsList()
                .stream()
                .map(t -> new HostTemplate(t.getName(), Instant.ofEpochMilli(t.getCreatedAtUnixMs())))
                .toList();
    }

    @Override
    public SandboxInfo getSandbox(String sandboxId) {
        return unary(
                "GetSandbox",
                sandbox(sandboxId),
                s -> s.getSandbox(
                        GetSandboxRequest.newBuilder().setSandboxId(sandboxId).build()));
    }

    @Override
    public ExecResponse exec(ExecRequest request) {
        return unary(
                "Exec",
                sandbox(request.getSandboxId()),
                execDeadlineSeconds(request.getTimeoutSec()),
                s -> s.exec(request));
    }

    /**
     * An exec's deadline: the command's own time (the host agent's default when 0) plus the longest the host agent
     * lets it wait for its turn and for the guest to start it (both bounded there and scaled with its load), plus a
     * minute. A fixed ten minutes would cut a command given an hour, or one queued behind a burst on a loaded host.
     */
    static long execDeadlineSeconds(int timeoutSec) {
        long command = timeoutSec > 0 ? timeoutSec : HOST_DEFAULT_EXEC_TIMEOUT_SEC;
        return command + HOST_LONGEST_START_SEC + 60;
    }

    @Override
    public Stream<ExecStreamResponse> execStream(ExecStreamRequest request) {
        return ServerStream.of("ExecStream", sandbox(request.getSandboxId()), stub.execStream(request));
    }

    @Override
    public void writeFile(WriteFileRequest request) {
        unary("WriteFile", file(request.getSandboxId(), request.getPath()), s -> s.writeFile(request));
    }

    @Override
    public ByteString readFile(ReadFileRequest request) {
        return unary("ReadFile", file(request.getSandboxId(), request.getPath()), s -> s.readFile(request))
                .getContent();
    }

    @Override
    public long writeFileStream(WriteFileMeta meta, InputStream content) {
        String object = file(meta.getSandboxId(), meta.getPath());
        BlockingClientCall<WriteFileStreamRequest, WriteFileStreamResponse> call = stub.writeFileStream();
        try {
            if (call.write(WriteFileStreamRequest.newBuilder().setMeta(meta).build())) {
                sendChunks(call, content, object);
            }
            call.halfClose();
            WriteFileStreamResponse response = call.read();
            if (response == null) {
                throw new ApiException(ErrorCode.AGENT_ERROR, "WriteFileStream " + object + ": no answer");
            }
            return response.getBytesWritten();
        } catch (StatusException e) {
            throw AgentErrors.toApi("WriteFileStream", object, e.getStatus(), e);
        } catch (InterruptedException e) {
            call.cancel("interrupted", e);
            throw AgentErrors.interrupted("WriteFileStream", object, e);
        }
    }

    private static void sendChunks(
            BlockingClientCall<WriteFileStreamRequest, WriteFileStreamResponse> call,
            InputStream content,
            String object)
            throws StatusException, InterruptedException {
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            int read;
            while ((read = content.readNBytes(buffer, 0, CHUNK_BYTES)) > 0) {
                if (!call.write(WriteFileStreamRequest.newBuilder()
                        .setChunk(ByteString.copyFrom(buffer, 0, read))
                        .build())) {
                    return; // the agent ended the call; read() reports why
                }
            }
        } catch (IOException e) {
            call.cancel("reading the upload failed", e);
            throw ApiException.invalid("WriteFileStream " + object + ": reading the upload failed: " + e.getMessage());
        }
    }

    @Override
    public Stream<ByteString> readFileStream(ReadFileStreamRequest request) {
        return ServerStream.of(
                        "ReadFileStream", file(request.getSandboxId(), request.getPath()), stub.readFileStream(request))
                .map(ReadFileStreamResponse::getChunk);
    }

    @Override
    public void pingSandbox(String sandboxId) {
        unary(
                "PingSandbox",
                sandbox(sandboxId),
                s -> s.pingSandbox(
                        PingSandboxRequest.newBuilder().setSandboxId(sandboxId).build()));
    }

    @Override
    public void pauseSandbox(String sandboxId) {
        unary(
                "PauseSandbox",
                sandbox(sandboxId),
                s -> s.pauseSandbox(
                        PauseSandboxRequest.newBuilder().setSandboxId(sandboxId).build()));
    }

    @Override
    public ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec) {
        return unary(
                "ResumeSandbox",
                sandbox(sandboxId),
                s -> s.resumeSandbox(ResumeSandboxRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .setTimeoutSec(timeoutSec)
                        .build()));
    }

    @Override
    public ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec, EgressRules egress) {
        return unary(
                "ResumeSandbox",
                sandbox(sandboxId),
                s -> s.resumeSandbox(ResumeSandboxRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .setTimeoutSec(timeoutSec)
                        .setEgress(egress)
                        .build()));
    }

    @Override
    public SandboxInfo updateSandboxNetwork(String sandboxId, EgressRules egress) {
        return unary(
                "UpdateSandboxNetwork",
                sandbox(sandboxId),
                s -> s.updateSandboxNetwork(UpdateSandboxNetworkRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .setEgress(egress)
                        .build()));
    }

    @Override
    public CreateSnapshotResponse createSnapshot(String sandboxId, String name, boolean replace) {
        return unary(
                "CreateSnapshot",
                sandbox(sandboxId),
                s -> s.createSnapshot(CreateSnapshotRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .setName(name)
                        .setReplace(replace)
                        .build()));
    }

    @Override
    public Stream<BuildImageTemplateProgress> buildImageTemplate(BuildImageTemplateRequest request) {
        Stream<BuildImageTemplateProgress> raw = ServerStream.of(
                "BuildImageTemplate", "template " + request.getTemplateId(), stub.buildImageTemplate(request));
        java.util.Iterator<BuildImageTemplateProgress> events = raw.iterator();
        // A host agent without image support answers UNIMPLEMENTED on the first read; callers fall back on that.
        java.util.Iterator<BuildImageTemplateProgress> checked = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return events.hasNext();
                } catch (dev.wrenn.control.error.ApiException e) {
                    throw unimplementedOr(e);
                }
            }

            @Override
            public BuildImageTemplateProgress next() {
                try {
                    return events.next();
                } catch (dev.wrenn.control.error.ApiException e) {
                    throw unimplementedOr(e);
                }
            }
        };
        return java.util.stream.StreamSupport.stream(
                        java.util.Spliterators.spliteratorUnknownSize(checked, java.util.Spliterator.ORDERED), false)
                .onClose(raw::close);
    }

    private static RuntimeException unimplementedOr(dev.wrenn.control.error.ApiException e) {
        if (e.getCause() instanceof io.grpc.StatusException status
                && status.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
            return new UnsupportedOperationException("the host agent does not implement BuildImageTemplate", e);
        }
        return e;
    }

    @Override
    public void deleteSnapshot(String name) {
        unary(
                "DeleteSnapshot",
                "snapshot " + name,
                s -> s.deleteSnapshot(
                        DeleteSnapshotRequest.newBuilder().setName(name).build()));
    }

    @Override
    public ListDirResponse listDir(ListDirRequest request) {
        return unary("ListDir", file(request.getSandboxId(), request.getPath()), s -> s.listDir(request));
    }

    @Override
    public GetMetricsResponse getMetrics(String sandboxId) {
        return unary(
                "GetMetrics",
                sandbox(sandboxId),
                s -> s.getMetrics(
                        GetMetricsRequest.newBuilder().setSandboxId(sandboxId).build()));
    }

    @Override
    public GetMetricsResponse sampleMetrics(String sandboxId) {
        return unary(
                "GetMetrics",
                sandbox(sandboxId),
                s -> s.getMetrics(GetMetricsRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .setPassive(true)
                        .build()));
    }

    @Override
    public Stream<PtyStartResponse> ptyStart(PtyStartRequest request) {
        return ServerStream.of("PtyStart", sandbox(request.getSandboxId()), stub.ptyStart(request));
    }

    @Override
    public void ptyInput(String sandboxId, int pid, ByteString data) {
        unary(
                "PtyInput",
                terminal(sandboxId, pid),
                s -> s.ptyInput(PtyInputRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .setPid(pid)
                        .setData(data)
                        .build()));
    }

    @Override
    public void ptyResize(String sandboxId, int pid, int cols, int rows) {
        unary(
                "PtyResize",
                terminal(sandboxId, pid),
                s -> s.ptyResize(PtyResizeRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .setPid(pid)
                        .setCols(cols)
                        .setRows(rows)
                        .build()));
    }

    @Override
    public void ptyKill(String sandboxId, int pid) {
        unary(
                "PtyKill",
                terminal(sandboxId, pid),
                s -> s.ptyKill(PtyKillRequest.newBuilder()
                        .setSandboxId(sandboxId)
                        .setPid(pid)
                        .build()));
    }

    private static String terminal(String sandboxId, int pid) {
        return "terminal " + pid + " in sandbox " + sandboxId;
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private <T> T unary(String operation, String object, Call<T> call) {
        return unary(operation, object, TimeUnit.MINUTES.toSeconds(UNARY_DEADLINE_MINUTES), call);
    }

    private <T> T unary(String operation, String object, long deadlineSeconds, Call<T> call) {
        try {
            return call.run(stub.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS));
        } catch (StatusException e) {
            throw AgentErrors.toApi(operation, object, e.getStatus(), e);
        } catch (StatusRuntimeException e) {
            throw AgentErrors.toApi(operation, object, e.getStatus(), e);
        }
    }

    private static String sandbox(String id) {
        return "sandbox " + id;
    }

    private static String file(String sandboxId, String path) {
        return path + " in sandbox " + sandboxId;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(HostAgentServiceBlockingV2Stub stub) throws StatusException;
    }
}
