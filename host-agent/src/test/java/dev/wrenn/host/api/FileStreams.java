package dev.wrenn.host.api;

import com.google.protobuf.ByteString;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamResponse;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileStreamResponse;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A test caller's side of the streaming file calls, and SHA-256 digests to compare contents by. */
final class FileStreams {
    private static final int CHUNK = 64 * 1024;

    private FileStreams() {}

    /** Uploads {@code content} in 64 KiB chunks; returns the bytes_written the agent reports. */
    static long writeStream(
            HostAgentServiceGrpc.HostAgentServiceStub agent, String sandboxId, String path, byte[] content)
            throws Exception {
        Answer answer = new Answer();
        StreamObserver<WriteFileStreamRequest> upload = agent.writeFileStream(answer);
        upload.onNext(meta(sandboxId, path));
        for (int offset = 0; offset < content.length; offset += CHUNK) {
            upload.onNext(chunk(content, offset));
        }
        upload.onCompleted();
        return answer.get().getBytesWritten();
    }

    static void writeStreamWithoutMeta(HostAgentServiceGrpc.HostAgentServiceStub agent) throws Exception {
        Answer answer = new Answer();
        StreamObserver<WriteFileStreamRequest> upload = agent.writeFileStream(answer);
        upload.onNext(chunk(new byte[] {1, 2, 3}, 0));
        upload.onCompleted();
        answer.get();
    }

    /** Sends meta and half the content and leaves the call open; the caller cancels it with onError. */
    static StreamObserver<WriteFileStreamRequest> startUpload(
            HostAgentServiceGrpc.HostAgentServiceStub agent, String sandboxId, String path, byte[] content) {
        StreamObserver<WriteFileStreamRequest> upload = agent.writeFileStream(new Answer());
        upload.onNext(meta(sandboxId, path));
        for (int offset = 0; offset < content.length / 2; offset += CHUNK) {
            upload.onNext(chunk(content, offset));
        }
        return upload;
    }

    static String sha256(Iterator<ReadFileStreamResponse> chunks) {
        MessageDigest digest = sha256();
        chunks.forEachRemaining(chunk -> digest.update(chunk.getChunk().asReadOnlyByteBuffer()));
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    static Iterator<ReadFileStreamResponse> readStream(
            HostAgentServiceGrpc.HostAgentServiceBlockingStub agent, String sandboxId, String path) {
        return agent.readFileStream(ReadFileStreamRequest.newBuilder()
                .setSandboxId(sandboxId)
                .setPath(path)
                .build());
    }

    private static WriteFileStreamRequest meta(String sandboxId, String path) {
        return WriteFileStreamRequest.newBuilder()
                .setMeta(WriteFileMeta.newBuilder().setSandboxId(sandboxId).setPath(path))
                .build();
    }

    private static WriteFileStreamRequest chunk(byte[] content, int offset) {
        int length = Math.min(CHUNK, content.length - offset);
        return WriteFileStreamRequest.newBuilder()
                .setChunk(ByteString.copyFrom(content, offset, length))
                .build();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The single answer of a client-streaming call. */
    private static final class Answer implements StreamObserver<WriteFileStreamResponse> {
        private final CompletableFuture<WriteFileStreamResponse> result = new CompletableFuture<>();
        private WriteFileStreamResponse response;

        @Override
        public void onNext(WriteFileStreamResponse value) {
            response = value;
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            result.complete(response);
        }

        WriteFileStreamResponse get() throws Exception {
            try {
                return result.get(2, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }
    }
}
