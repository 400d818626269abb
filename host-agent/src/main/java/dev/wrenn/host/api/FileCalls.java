package dev.wrenn.host.api;

import com.google.protobuf.ByteString;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.EnvdClient;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.protocol.hostagent.v1.ReadFileRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamResponse;
import dev.wrenn.protocol.hostagent.v1.WriteFileRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;

/** WriteFile, ReadFile and their streaming forms over the guest agent's {@code /files}. */
final class FileCalls {
    static final int CHUNK_BYTES = 64 * 1024;
    // ReadFile answers in one message; larger files belong in ReadFileStream.
    static final int MAX_UNARY_FILE_BYTES = 64 << 20;

    private final SandboxManager manager;
    private final EnvdClients clients;

    FileCalls(SandboxManager manager, EnvdClients clients) {
        this.manager = manager;
        this.clients = clients;
    }

    void writeFile(WriteFileRequest request) {
        String operation = "write file " + request.getPath() + " in sandbox " + request.getSandboxId();
        Requests.requireSandboxId(request.getSandboxId(), operation);
        Requests.requirePath(request.getPath(), operation);
        EnvdClient envd = clients.forGuest(manager.guest(request.getSandboxId()));
        envd.writeFile(
                request.getPath(), request.getUser(), request.getContent().newInput());
        manager.markActive(request.getSandboxId());
    }

    ReadFileResponse readFile(ReadFileRequest request) {
        String operation = "read file " + request.getPath() + " in sandbox " + request.getSandboxId();
        Requests.requireSandboxId(request.getSandboxId(), operation);
        Requests.requirePath(request.getPath(), operation);
        EnvdClient envd = clients.forGuest(manager.guest(request.getSandboxId()));
        EnvdClient.FileDownload download = envd.readFile(request.getPath(), request.getUser());
        try (InputStream body = download.body()) {
            if (download.length() > MAX_UNARY_FILE_BYTES) {
                throw tooLarge(operation, download.length());
            }
            byte[] content = body.readNBytes(MAX_UNARY_FILE_BYTES + 1);
            if (content.length > MAX_UNARY_FILE_BYTES) {
                throw tooLarge(operation, content.length);
            }
            return ReadFileResponse.newBuilder()
                    .setContent(ByteString.copyFrom(content))
                    .build();
        } catch (IOException e) {
            throw broken(operation, e);
        }
    }

    StreamObserver<WriteFileStreamRequest> writeFileStream(ServerCallStreamObserver<WriteFileStreamResponse> response) {
        // Chunks are requested as the guest takes them (see UploadPipe), not as fast as the caller sends.
        response.disableAutoRequest();
        response.request(1);
        return new UploadSession(manager, clients, response);
    }

    void readFileStream(ReadFileStreamRequest request, ServerCallStreamObserver<ReadFileStreamResponse> observer) {
        String operation = "read file stream " + request.getPath() + " in sandbox " + request.getSandboxId();
        OutboundFlow<ReadFileStreamResponse> flow = new OutboundFlow<>(observer, operation);
        try {
            Requests.requireSandboxId(request.getSandboxId(), operation);
            Requests.requirePath(request.getPath(), operation);
            EnvdClient envd = clients.forGuest(manager.guest(request.getSandboxId()));
            EnvdClient.FileDownload download = envd.readFile(request.getPath(), request.getUser());
            try (InputStream body = download.body()) {
                flow.onCancel(() -> closeQuietly(body));
                relay(body, flow);
            } catch (IOException e) {
                throw broken(operation, e);
            }
            manager.markActive(request.getSandboxId());
            flow.complete();
        } catch (HostAgentException e) {
            flow.fail(e);
        }
    }

    private static void relay(InputStream body, OutboundFlow<ReadFileStreamResponse> flow) throws IOException {
        while (true) {
            byte[] chunk = body.readNBytes(CHUNK_BYTES);
            if (chunk.length == 0) {
                return;
            }
            flow.send(ReadFileStreamResponse.newBuilder()
                    .setChunk(ByteString.copyFrom(chunk))
                    .build());
        }
    }

    private static HostAgentException tooLarge(String operation, long size) {
        return new HostAgentException(
                ErrorCode.RESOURCE_EXHAUSTED,
                operation + ": the file has " + size + " bytes, more than ReadFile returns (" + MAX_UNARY_FILE_BYTES
                        + "); use ReadFileStream");
    }

    private static HostAgentException broken(String operation, IOException e) {
        return new HostAgentException(ErrorCode.UNAVAILABLE, operation + ": the download broke off: " + e, e);
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // Abandoning the download anyway.
        }
    }
}
