package dev.wrenn.control.hosts;

import com.google.protobuf.ByteString;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateProgress;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.EgressRules;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.ListDirRequest;
import dev.wrenn.protocol.hostagent.v1.ListDirResponse;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import dev.wrenn.protocol.hostagent.v1.WriteFileRequest;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host agent as the control plane sees it: one method per RPC of {@code hostagent.proto}. Every failure is an
 * {@link dev.wrenn.control.error.ApiException} already mapped to its HTTP answer (agent NOT_FOUND is 404
 * {@code not_found}, INVALID_ARGUMENT 400, FAILED_PRECONDITION 409 {@code conflict}, anything else 502
 * {@code agent_error}). {@link GrpcHostAgentClient} is the real one; API tests use a fake for paths that need no VM.
 */
public interface HostAgentClient extends AutoCloseable {

    CreateSandboxResponse createSandbox(CreateSandboxRequest request);

    /** Unknown ids are not an error. */
    void destroySandbox(String sandboxId);

    ListSandboxesResponse listSandboxes();

    SandboxInfo getSandbox(String sandboxId);

    ExecResponse exec(ExecRequest request);

    /** Start, output and end events as they happen. Closing the stream cancels the command's RPC. */
    Stream<ExecStreamResponse> execStream(ExecStreamRequest request);

    void writeFile(WriteFileRequest request);

    ByteString readFile(ReadFileRequest request);

    /** Streams {@code content} to the file in chunks of at most 64 KiB; returns the bytes written. */
    long writeFileStream(WriteFileMeta meta, InputStream content);

    /** The file's content in chunks of at most 64 KiB. Closing the stream cancels the RPC. */
    Stream<ByteString> readFileStream(ReadFileStreamRequest request);

    /** Succeeds when the sandbox runs and its guest agent answers. */
    void pingSandbox(String sandboxId);

    void pauseSandbox(String sandboxId);

    ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec);

    /**
     * The same, handing the host the sandbox's egress rules as the control plane keeps them. The default (for test
     * doubles that boot no network) ignores them; the gRPC client sends them.
     */
    default ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec, EgressRules egress) {
        return resumeSandbox(sandboxId, timeoutSec);
    }

    /** Replaces a sandbox's egress rules (a running one's at once). */
    default SandboxInfo updateSandboxNetwork(String sandboxId, EgressRules egress) {
        throw new UnsupportedOperationException("updating egress rules");
    }

    /**
     * Freezes the sandbox into a snapshot stored under {@code name} on the host. With {@code replace}, an existing
     * snapshot of that name is swapped for the new one in one atomic step on the host, so a failure or crash keeps
     * the old one whole; without, an existing name is ALREADY_EXISTS.
     */
    CreateSnapshotResponse createSnapshot(String sandboxId, String name, boolean replace);

    void deleteSnapshot(String name);

    /**
     * The templates the host holds, with their creation times; the reconciler deletes those without a row. The RPC
     * comes with the host agent's template listing (branch {@code snapsafe}); until a client implements it, this
     * throws {@link UnsupportedOperationException} and the reconciler leaves templates alone.
     */
    default List<HostTemplate> listTemplates() {
        throw new UnsupportedOperationException("ListTemplates: this host agent client cannot list templates");
    }

    /**
     * Issue 14: the host turns an OCI/Docker image (or {@code e2bdev/base}) into a template it stores under
     * {@code request.template_id}, streaming log lines and ending with the image's config. Closing the stream cancels
     * the build.
     *
     * @throws UnsupportedOperationException when the host agent does not implement the RPC (gRPC UNIMPLEMENTED), so a
     *     caller can tell "this host cannot build images" from a failed build
     */
    default Stream<BuildImageTemplateProgress> buildImageTemplate(BuildImageTemplateRequest request) {
        throw new UnsupportedOperationException("BuildImageTemplate: this host agent client cannot build images");
    }

    /** The entries of a directory in the sandbox (the web console's file browser). */
    ListDirResponse listDir(ListDirRequest request);

    /** One sample of the sandbox's CPU and memory use. */
    GetMetricsResponse getMetrics(String sandboxId);

    /** As {@link #getMetrics(String)}, for the periodic sampler: the read does not count as the sandbox's activity. */
    default GetMetricsResponse sampleMetrics(String sandboxId) {
        return getMetrics(sandboxId);
    }

    /** A command on a new terminal: started, output and exit events. Closing the stream kills the command. */
    Stream<PtyStartResponse> ptyStart(PtyStartRequest request);

    void ptyInput(String sandboxId, int pid, ByteString data);

    void ptyResize(String sandboxId, int pid, int cols, int rows);

    void ptyKill(String sandboxId, int pid);

    @Override
    void close();
}
