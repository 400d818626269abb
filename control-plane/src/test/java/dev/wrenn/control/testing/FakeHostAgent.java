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

    @Override
    public CreateSandboxResponse createSandbox(CreateSandboxRequest request) {
        throw unreachable("CreateSandbox");
    }

    @Override
    public void destroySandbox(String sandboxId) {
        throw unreachable("DestroySandbox");
    }

    @Override
    public ListSandboxesResponse listSandboxes() {
        return ListSandboxesResponse.getDefaultInstance();
    }

    @Override
    public SandboxInfo getSandbox(String sandboxId) {
        throw unreachable("GetSandbox");
    }

    @Override
    public ExecResponse exec(ExecRequest request) {
        throw unreachable("Exec");
    }

    @Override
    public Stream<ExecStreamResponse> execStream(ExecStreamRequest request) {
        throw unreachable("ExecStream");
    }

    @Override
    public void writeFile(WriteFileRequest request) {
        throw unreachable("WriteFile");
    }

    @Override
    public ByteString readFile(ReadFileRequest request) {
        throw unreachable("ReadFile");
    }

    @Override
    public long writeFileStream(WriteFileMeta meta, InputStream content) {
        throw unreachable("WriteFileStream");
    }

    @Override
    public Stream<ByteString> readFileStream(ReadFileStreamRequest request) {
        throw unreachable("ReadFileStream");
    }

    @Override
    public void pingSandbox(String sandboxId) {
        throw unreachable("PingSandbox");
    }

    @Override
    public void pauseSandbox(String sandboxId) {
        throw unreachable("PauseSandbox");
    }

    @Override
    public ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec) {
        throw unreachable("ResumeSandbox");
    }

    @Override
    public CreateSnapshotResponse createSnapshot(String sandboxId, String name) {
        throw unreachable("CreateSnapshot");
    }

    @Override
    public void deleteSnapshot(String name) {
        throw unreachable("DeleteSnapshot");
    }

    @Override
    public ListDirResponse listDir(ListDirRequest request) {
        throw unreachable("ListDir");
    }

    @Override
    public GetMetricsResponse getMetrics(String sandboxId) {
        throw unreachable("GetMetrics");
    }

    @Override
    public Stream<PtyStartResponse> ptyStart(PtyStartRequest request) {
        throw unreachable("PtyStart");
    }

    @Override
    public void ptyInput(String sandboxId, int pid, ByteString data) {
        throw unreachable("PtyInput");
    }

    @Override
    public void ptyResize(String sandboxId, int pid, int cols, int rows) {
        throw unreachable("PtyResize");
    }

    @Override
    public void ptyKill(String sandboxId, int pid) {
        throw unreachable("PtyKill");
    }

    @Override
    public void close() {}
}
