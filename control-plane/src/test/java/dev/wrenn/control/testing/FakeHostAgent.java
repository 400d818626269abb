package dev.wrenn.control.testing;

import com.google.protobuf.ByteString;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
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
import java.util.stream.Stream;

/**
 * A host agent for API tests that need no VM. Every call fails as an unreachable agent would, so a test that
 * reaches the agent by mistake says so; tests that need answers subclass it or replace methods.
 */
public class FakeHostAgent implements HostAgentClient {

    protected ApiException unreachable(String operation) {
        return new ApiException(ErrorCode.AGENT_ERROR, operation + ": the fake host agent has no VMs");
    }

    /**
     * The error for the calling method, named as its RPC (the method's name capitalised: {@code ptyStart} is
     * {@code PtyStart}), so that each stub below is the same line and cannot name the wrong RPC.
     */
    private ApiException unreachable() {
        String method = StackWalker.getInstance()
                .walk(frames -> frames.skip(1).findFirst())
                .orElseThrow()
                .getMethodName();
        return unreachable(Character.toUpperCase(method.charAt(0)) + method.substring(1));
    }

    @Override
    public CreateSandboxResponse createSandbox(CreateSandboxRequest request) {
        throw unreachable();
    }

    @Override
    public void destroySandbox(String sandboxId) {
        throw unreachable();
    }

    @Override
    public ListSandboxesResponse listSandboxes() {
        return ListSandboxesResponse.getDefaultInstance();
    }

    @Override
    public SandboxInfo getSandbox(String sandboxId) {
        throw unreachable();
    }

    @Override
    public ExecResponse exec(ExecRequest request) {
        throw unreachable();
    }

    @Override
    public Stream<ExecStreamResponse> execStream(ExecStreamRequest request) {
        throw unreachable();
    }

    @Override
    public void writeFile(WriteFileRequest request) {
        throw unreachable();
    }

    @Override
    public ByteString readFile(ReadFileRequest request) {
        throw unreachable();
    }

    @Override
    public long writeFileStream(WriteFileMeta meta, InputStream content) {
        throw unreachable();
    }

    @Override
    public Stream<ByteString> readFileStream(ReadFileStreamRequest request) {
        throw unreachable();
    }

    @Override
    public void pingSandbox(String sandboxId) {
        throw unreachable();
    }

    @Override
    public void pauseSandbox(String sandboxId) {
        throw unreachable();
    }

    @Override
    public ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec) {
        throw unreachable();
    }

    @Override
    public CreateSnapshotResponse createSnapshot(String sandboxId, String name, boolean replace) {
        throw unreachable();
    }

    @Override
    public void deleteSnapshot(String name) {
        throw unreachable();
    }

    @Override
    public ListDirResponse listDir(ListDirRequest request) {
        throw unreachable();
    }

    @Override
    public GetMetricsResponse getMetrics(String sandboxId) {
        throw unreachable();
    }

    @Override
    public Stream<PtyStartResponse> ptyStart(PtyStartRequest request) {
        throw unreachable();
    }

    @Override
    public void ptyInput(String sandboxId, int pid, ByteString data) {
        throw unreachable();
    }

    @Override
    public void ptyResize(String sandboxId, int pid, int cols, int rows) {
        throw unreachable();
    }

    @Override
    public void ptyKill(String sandboxId, int pid) {
        throw unreachable();
    }

    @Override
    public void close() {}
}
