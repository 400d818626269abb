package dev.wrenn.control.files;

import com.google.protobuf.ByteString;
import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files in a running sandbox. {@code files/write} and {@code files/read} hold the whole file (up to the upload
 * limit, 413 beyond) and answer all or nothing; the upload is held in 1 MiB of memory plus an owner-only spool file
 * under {@code <data dir>/uploads}, never in a heap buffer of the limit's size; {@code files/stream/write} and {@code files/stream/read} pass the
 * bytes through in 64 KiB pieces and hold no file in memory. All four talk to the host agent's streaming RPCs,
 * whose messages stay small whatever the file's size.
 */
public final class FileRoutes {
    static final String OCTET_STREAM = "application/octet-stream";
    private static final Logger LOG = LoggerFactory.getLogger(FileRoutes.class);

    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private final Authenticator auth;
    private final long maxUploadBytes;
    private final Path spoolDir;

    public FileRoutes(
            SandboxService sandboxes,
            HostAgentClient hostAgent,
            Authenticator auth,
            long maxUploadBytes,
            Path spoolDir) {
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
        this.auth = auth;
        this.maxUploadBytes = maxUploadBytes;
        this.spoolDir = spoolDir;
    }

    /** Where {@code files/write} holds uploads past 1 MiB until they are complete. */
    public static Path spoolDir(Path dataDir) {
        return dataDir.resolve("uploads");
    }

    public void register(RoutesConfig routes) {
        routes.post("/v1/sandboxes/{id}/files/write", auth.apiKeyOrJwt(this::write));
        routes.post("/v1/sandboxes/{id}/files/read", auth.apiKeyOrJwt(this::read));
        routes.post("/v1/sandboxes/{id}/files/stream/write", auth.apiKeyOrJwt(this::streamWrite));
        routes.post("/v1/sandboxes/{id}/files/stream/read", auth.apiKeyOrJwt(this::streamRead));
    }

    private void write(Context ctx, Principal caller) throws IOException {
        Sandbox sandbox = sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.FILES);
        // Multipart framing adds little; a body far over the limit is refused before a byte of it is read.
        if (ctx.req().getContentLengthLong() > maxUploadBytes + UploadForm.MAX_FRAMING_BYTES) {
            throw tooLarge();
        }
        try (UploadForm form = UploadForm.buffered(multipart(ctx), maxUploadBytes, spoolDir, this::tooLarge);
                InputStream content = form.content().open()) {
            hostAgent.writeFileStream(meta(sandbox, form.path()), content);
        }
        sandboxes.touch(sandbox);
        ctx.status(204);
    }

    private void streamWrite(Context ctx, Principal caller) throws IOException {
        Sandbox sandbox = sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.FILES);
        UploadForm.streamed(multipart(ctx), (path, content) -> {
            hostAgent.writeFileStream(meta(sandbox, path), content);
        });
        sandboxes.touch(sandbox);
        ctx.status(204);
    }

    private void read(Context ctx, Principal caller) {
        Sandbox sandbox = sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.FILES);
        String path = JsonBodies.read(ctx, PathBody.class).checked();
        ByteString content = ByteString.EMPTY;
        try (Stream<ByteString> chunks = hostAgent.readFileStream(request(sandbox, path))) {
            for (Iterator<ByteString> it = chunks.iterator(); it.hasNext(); ) {
                content = content.concat(it.next()); // a rope of the chunks: copied once, into the answer
                if (content.size() > maxUploadBytes) {
                    throw new ApiException(
                            ErrorCode.TOO_LARGE,
                            path + " in sandbox " + sandbox.id() + " is larger than " + maxUploadBytes
                                    + " bytes; read it with files/stream/read");
                }
            }
        }
        sandboxes.touch(sandbox);
        ctx.contentType(OCTET_STREAM).result(content.toByteArray());
    }

    /** The first chunk is awaited before the answer starts, so a missing file is still a 404 and not a cut body. */
    private void streamRead(Context ctx, Principal caller) throws IOException {
        Sandbox sandbox = sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.FILES);
        String path = JsonBodies.read(ctx, PathBody.class).checked();
        try (Stream<ByteString> chunks = hostAgent.readFileStream(request(sandbox, path))) {
            Iterator<ByteString> it = chunks.iterator();
            ByteString first = it.hasNext() ? it.next() : ByteString.EMPTY;
            sandboxes.touch(sandbox);
            ctx.status(200).contentType(OCTET_STREAM);
            OutputStream out = ctx.res().getOutputStream();
            first.writeTo(out);
            relay(it, out, sandbox, path);
        }
    }

    private static void relay(Iterator<ByteString> chunks, OutputStream out, Sandbox sandbox, String path)
            throws IOException {
        try {
            while (chunks.hasNext()) {
                chunks.next().writeTo(out);
                out.flush();
            }
        } catch (ApiException e) {
            // The status line is gone: the best left is to end the body short, which the client can notice.
            LOG.warn(
                    "reading {} from sandbox {} failed after the answer started: {}",
                    path,
                    sandbox.id(),
                    e.getMessage());
            throw new IOException("read of " + path + " in sandbox " + sandbox.id() + " broke off", e);
        }
    }

    private static MultipartReader multipart(Context ctx) throws IOException {
        return MultipartReader.of(ctx.contentType(), ctx.req().getInputStream());
    }

    private static WriteFileMeta meta(Sandbox sandbox, String path) {
        return WriteFileMeta.newBuilder()
                .setSandboxId(sandbox.id())
                .setPath(path)
                .build();
    }

    private static ReadFileStreamRequest request(Sandbox sandbox, String path) {
        return ReadFileStreamRequest.newBuilder()
                .setSandboxId(sandbox.id())
                .setPath(path)
                .build();
    }

    private ApiException tooLarge() {
        return new ApiException(
                ErrorCode.TOO_LARGE,
                "the file is larger than the upload limit of " + maxUploadBytes
                        + " bytes; upload it with files/stream/write");
    }

    record PathBody(String path) {
        String checked() {
            return UploadForm.checkedPath(path);
        }
    }
}
