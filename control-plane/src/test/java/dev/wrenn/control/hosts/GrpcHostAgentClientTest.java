package dev.wrenn.control.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.error.RetryLaterException;
import dev.wrenn.pki.ClusterCa;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcHostAgentClientTest {
    private final ScriptedHostAgent agent = new ScriptedHostAgent();
    private Server server;
    private GrpcHostAgentClient client;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(agent).build().start();
        client = new GrpcHostAgentClient(InProcessChannelBuilder.forName(name).build(), "in-process");
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aUnaryCallReturnsTheAgentsAnswer() {
        var created = client.createSandbox(CreateSandboxRequest.newBuilder()
                .setSandboxId("sb-00000001")
                .setTemplate("minimal")
                .build());

        assertThat(created.getSandboxId()).isEqualTo("sb-00000001");
        assertThat(created.getStatus()).isEqualTo(SandboxStatus.SANDBOX_STATUS_RUNNING);
        assertThat(created.getHostIp()).isEqualTo("10.11.0.1");
    }

    @Test
    void agentStatusesBecomeApiErrorsThatNameTheOperationAndTheObject() {
        assertApiError(
                () -> client.createSandbox(CreateSandboxRequest.newBuilder()
                        .setSandboxId("sb-00000002")
                        .setTemplate("missing")
                        .build()),
                ErrorCode.NOT_FOUND,
                "CreateSandbox sandbox sb-00000002: template missing not found");
        assertApiError(() -> client.pingSandbox("sb-00000003"), ErrorCode.CONFLICT, "PingSandbox sandbox sb-00000003");
        assertApiError(
                () -> client.deleteSnapshot("bad name"), ErrorCode.INVALID_REQUEST, "DeleteSnapshot snapshot bad name");
        assertApiError(() -> client.pauseSandbox("sb-00000004"), ErrorCode.AGENT_ERROR, "host agent unreachable");
    }

    /** Issue 14: the template API falls back on UNIMPLEMENTED, so the client must report it as such. */
    @Test
    void anAgentWithoutImageBuildsAnswersBuildImageTemplateAsUnsupported() {
        var request = dev.wrenn.protocol.hostagent.v1.BuildImageTemplateRequest.newBuilder()
                .setTemplateId("img-1")
                .setImage("e2bdev/base")
                .build();
        try (var events = client.buildImageTemplate(request)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> events.iterator().hasNext())
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("BuildImageTemplate");
        }
    }

    @Test
    void aFullQueueOfCommandsIsARetryableRefusalNeverABadGateway() {
        assertThatThrownBy(() -> client.exec(exec("sb-busy")))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(e.code().httpStatus()).isEqualTo(429);
                    assertThat(e.retryAfterSeconds()).isEqualTo(7);
                })
                .hasMessage("Exec sandbox sb-busy: sandbox sb-busy already has 1024 commands waiting to start");
        assertThatThrownBy(() -> client.exec(exec("sb-hostfull")))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
                    assertThat(e.code().httpStatus()).isEqualTo(503);
                    assertThat(e.retryAfterSeconds()).isEqualTo(7);
                })
                .hasMessageContaining("this host already has 8192 commands waiting to start");
        // UNAVAILABLE without the trailer is an agent that cannot be reached: still 502.
        assertApiError(() -> client.pauseSandbox("sb-00000004"), ErrorCode.AGENT_ERROR, "host agent unreachable");
        assertThat(client.exec(exec("sb-00000001")).getStdout().toStringUtf8()).isEqualTo("ok");
    }

    @Test
    void anExecsDeadlineCoversItsCommandsTimeAndTheHostsLongestWaitForAStart() {
        // Ten minutes was fixed before: an exec given an hour was cut at ten minutes.
        assertThat(GrpcHostAgentClient.execDeadlineSeconds(3600)).isEqualTo(3600 + 20 * 60 + 60);
        assertThat(GrpcHostAgentClient.execDeadlineSeconds(0)).isEqualTo(30 + 20 * 60 + 60);
    }

    private static ExecRequest exec(String sandboxId) {
        return ExecRequest.newBuilder().setSandboxId(sandboxId).setCmd("true").build();
    }

    @Test
    void anUnreachableAgentIsAnAgentError() {
        try (GrpcHostAgentClient nowhere = GrpcHostAgentClient.connect(
                "127.0.0.1:1", HostAgentTls.channel(ClusterCa.create("test CA", java.time.Clock.systemUTC())))) {
            assertApiError(nowhere::listSandboxes, ErrorCode.AGENT_ERROR, "ListSandboxes on host agent 127.0.0.1:1");
        }
    }

    @Test
    void execStreamDeliversEventsInOrder() {
        List<ExecStreamResponse> events;
        try (Stream<ExecStreamResponse> stream = client.execStream(ExecStreamRequest.newBuilder()
                .setSandboxId("sb-00000001")
                .setCmd("echo")
                .build())) {
            events = stream.toList();
        }

        assertThat(events)
                .extracting(ExecStreamResponse::getEventCase)
                .containsExactly(
                        ExecStreamResponse.EventCase.START,
                        ExecStreamResponse.EventCase.DATA,
                        ExecStreamResponse.EventCase.DATA,
                        ExecStreamResponse.EventCase.END);
        assertThat(events.get(1).getData().getStdout().toStringUtf8()).isEqualTo("out");
        assertThat(events.get(2).getData().getStderr().toStringUtf8()).isEqualTo("err");
        assertThat(events.get(3).getEnd().getExitCode()).isEqualTo(3);
    }

    @Test
    void closingAnExecStreamCancelsTheCallOnTheAgent() throws InterruptedException {
        Stream<ExecStreamResponse> stream = client.execStream(ExecStreamRequest.newBuilder()
                .setSandboxId("sb-00000001")
                .setCmd("sleep")
                .build());
        ExecStreamResponse first = stream.iterator().next();

        stream.close();

        assertThat(first.getStart().getPid()).isEqualTo(42);
        assertThat(agent.cancelled.await(10, TimeUnit.SECONDS))
                .as("the agent saw the cancellation")
                .isTrue();
    }

    @Test
    void anUploadArrivesWholeInChunksOfAtMost64KiB() {
        byte[] content = new byte[200_000];
        new Random(7).nextBytes(content);

        long written = client.writeFileStream(
                WriteFileMeta.newBuilder()
                        .setSandboxId("sb-00000001")
                        .setPath("/tmp/f")
                        .build(),
                new ByteArrayInputStream(content));

        assertThat(written).isEqualTo(content.length);
        assertThat(agent.uploadedPath).isEqualTo("/tmp/f");
        assertThat(agent.uploaded.toByteArray()).isEqualTo(content);
        assertThat(agent.chunkSizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(64 * 1024));
    }

    @Test
    void aRefusedUploadReportsTheAgentsReason() {
        assertApiError(
                () -> client.writeFileStream(
                        WriteFileMeta.newBuilder()
                                .setSandboxId("sb-gone")
                                .setPath("/tmp/f")
                                .build(),
                        new ByteArrayInputStream(new byte[300_000])),
                ErrorCode.NOT_FOUND,
                "WriteFileStream /tmp/f in sandbox sb-gone: sandbox sb-gone not found");
    }

    @Test
    void aDownloadArrivesInTheAgentsChunks() {
        try (Stream<ByteString> chunks = client.readFileStream(ReadFileStreamRequest.newBuilder()
                .setSandboxId("sb-00000001")
                .setPath("/etc/hostname")
                .build())) {
            assertThat(chunks.map(ByteString::toStringUtf8)).containsExactly("one", "two", "three");
        }
    }

    private static void assertApiError(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(messagePart);
    }
}
