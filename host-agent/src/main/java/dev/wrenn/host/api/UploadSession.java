package dev.wrenn.host.api;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.EnvdClient;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One WriteFileStream call. The first message must be meta (sandbox and path): it is checked before anything is
 * sent to the guest, then the chunks are piped into the guest's {@code POST /files} as they arrive. The answer is
 * sent from the upload's thread once the guest has the whole file.
 */
final class UploadSession implements StreamObserver<WriteFileStreamRequest> {
    private static final String OPERATION = "write file stream";

    private final SandboxManager manager;
    private final EnvdClients clients;
    private final ServerCallStreamObserver<WriteFileStreamResponse> response;
    private UploadPipe pipe;
    private boolean failed;
    private volatile HostAgentException protocolError;

    UploadSession(
            SandboxManager manager, EnvdClients clients, ServerCallStreamObserver<WriteFileStreamResponse> response) {
        this.manager = manager;
        this.clients = clients;
        this.response = response;
    }

    @Override
    public void onNext(WriteFileStreamRequest message) {
        if (failed) {
            return;
        }
        if (pipe == null) {
            begin(message);
        } else if (message.hasMeta()) {
            protocolError = invalid("meta may only be the first message");
            pipe.abort(protocolError.getMessage());
        } else {
            pipe.offer(message.getChunk());
        }
    }

    @Override
    public void onError(Throwable cancelled) {
        if (pipe != null) {
            pipe.abort("the caller cancelled the upload: " + cancelled);
        }
    }

    @Override
    public void onCompleted() {
        if (pipe != null) {
            pipe.finish();
        } else if (!failed) {
            reject(invalid("the stream is empty; the first message must be meta"));
        }
    }

    private void begin(WriteFileStreamRequest first) {
        try {
            Requests.require(first.hasMeta(), OPERATION, "the first message must be meta (sandbox_id, path)");
            WriteFileMeta meta = first.getMeta();
            String operation = OPERATION + " to " + meta.getPath() + " in sandbox " + meta.getSandboxId();
            Requests.requireSandboxId(meta.getSandboxId(), operation);
            Requests.requirePath(meta.getPath(), operation);
            EnvdClient envd = clients.forGuest(manager.guest(meta.getSandboxId()));
            pipe = new UploadPipe(response::request);
            Thread.ofVirtual().name("upload " + meta.getSandboxId()).start(() -> upload(envd, meta));
            pipe.start();
        } catch (HostAgentException e) {
            reject(e);
        }
    }

    private void upload(EnvdClient envd, WriteFileMeta meta) {
        try {
            envd.writeFile(meta.getPath(), meta.getUser(), pipe);
            manager.markActive(meta.getSandboxId());
            response.onNext(WriteFileStreamResponse.newBuilder()
                    .setBytesWritten(pipe.bytesRead())
                    .build());
            response.onCompleted();
        } catch (HostAgentException e) {
            answerFailure(protocolError != null ? protocolError : e);
        }
    }

    private void reject(HostAgentException e) {
        failed = true;
        answerFailure(e);
    }

    private void answerFailure(HostAgentException e) {
        try {
            response.onError(GrpcErrors.toStatus(e));
        } catch (RuntimeException alreadyClosed) {
            // The caller cancelled; nobody is listening for the error.
        }
    }

    private static HostAgentException invalid(String problem) {
        return new HostAgentException(ErrorCode.INVALID_ARGUMENT, OPERATION + ": " + problem);
    }
}
