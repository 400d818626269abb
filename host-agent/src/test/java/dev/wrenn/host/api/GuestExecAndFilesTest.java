package dev.wrenn.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.client.ConnectClient;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.host.guest.GuestEndpoint;
import dev.wrenn.host.testing.RealHostAgent;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.GetMetricsRequest;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.GetSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.PingSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileRequest;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.WriteFileRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exec and files through the host agent's gRPC service into one sandbox booted from the real guest image with the
 * real guest agent (TCG here, so one sandbox serves the whole class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuestExecAndFilesTest {
    private static final String SANDBOX = "sb-exec0001";
    private static final int TEN_MIB = 10 << 20;

    @TempDir
    static Path root;

    private RealHostAgent host;
    private HostAgentServiceGrpc.HostAgentServiceBlockingStub agent;

    @BeforeAll
    void bootOneSandbox() throws Exception {
        host = new RealHostAgent(root);
        agent = host.blocking();
        agent.createSandbox(CreateSandboxRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setMemoryMb(512)
                .putEnvVars("FOO", "bar from create")
                .build());
    }

    @AfterAll
    void destroyIt() {
        if (host != null) {
            host.close();
            assertThat(host.slotsInUse()).isZero();
            assertThat(host.dataDir().sandboxes()).isEmptyDirectory();
        }
    }

    @Test
    void execRunsPythonAndReturnsItsOutput() {
        ExecResponse result = exec("python3", "-c", "print(6*7)");

        assertThat(result.getStdout().toStringUtf8()).isEqualTo("42\n");
        assertThat(result.getStderr().isEmpty()).isTrue();
        assertThat(result.getExitCode()).isZero();
    }

    @Test
    void execReportsExitCodeAndStderrSeparately() {
        ExecResponse result = exec("sh", "-c", "echo out; echo oops >&2; exit 7");

        assertThat(result.getStdout().toStringUtf8()).isEqualTo("out\n");
        assertThat(result.getStderr().toStringUtf8()).isEqualTo("oops\n");
        assertThat(result.getExitCode()).isEqualTo(7);
    }

    @Test
    void commandsRunAsTheDefaultUserInItsHome() {
        assertThat(exec("sh", "-c", "id -un; pwd").getStdout().toStringUtf8()).isEqualTo("user\n/home/user\n");
    }

    @Test
    void execHonoursUserCwdAndExtraEnv() {
        ExecResponse result = agent.exec(ExecRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setCmd("sh")
                .addArgs("-c")
                .addArgs("id -un; pwd; echo $EXTRA")
                .setUser("root")
                .setCwd("/tmp")
                .putEnvs("EXTRA", "from exec")
                .build());

        assertThat(result.getStdout().toStringUtf8()).isEqualTo("root\n/tmp\nfrom exec\n");
    }

    @Test
    void envVarsFromCreateAreVisibleToCommands() {
        assertThat(exec("printenv", "FOO").getStdout().toStringUtf8()).isEqualTo("bar from create\n");
    }

    @Test
    void aCommandPastItsTimeoutFailsWithDeadlineExceededAndIsKilled() {
        assertThatThrownBy(() -> agent.exec(ExecRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setCmd("sleep")
                        .addArgs("300")
                        .setTimeoutSec(2)
                        .build()))
                .hasMessageStartingWith("DEADLINE_EXCEEDED: running `sleep` in sandbox " + SANDBOX)
                .hasMessageContaining("did not finish within PT2S");

        awaitNoSleepProcess();
    }

    @Test
    void execStreamDeliversStartOutputInOrderAndEnd() {
        List<ExecStreamResponse> events = new ArrayList<>();
        agent.execStream(ExecStreamRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setCmd("sh")
                        .addArgs("-c")
                        .addArgs("for i in 1 2 3; do echo $i; sleep 0.1; done; echo err >&2; exit 3")
                        .build())
                .forEachRemaining(events::add);

        assertThat(events.getFirst().hasStart()).isTrue();
        assertThat(events.getFirst().getStart().getPid()).isPositive();
        assertThat(events.getLast().hasEnd()).isTrue();
        assertThat(events.getLast().getEnd().getExitCode()).isEqualTo(3);
        assertThat(events.getLast().getEnd().getError()).isEmpty();
        List<ExecStreamResponse> data = events.subList(1, events.size() - 1);
        assertThat(data).allMatch(ExecStreamResponse::hasData);
        assertThat(data.getLast().getData().getStderr().toStringUtf8()).isEqualTo("err\n");
        assertThat(data.stream()
                        .filter(d -> d.getData().hasStdout())
                        .map(d -> d.getData().getStdout().toStringUtf8())
                        .reduce("", String::concat))
                .isEqualTo("1\n2\n3\n");
    }

    @Test
    void anExecStreamPastItsTimeoutEndsWithAnErrorAndTheProcessIsKilled() {
        List<ExecStreamResponse> events = new ArrayList<>();
        agent.execStream(ExecStreamRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setCmd("sh")
                        .addArgs("-c")
                        .addArgs("echo started; exec sleep 301")
                        .setTimeoutSec(2)
                        .build())
                .forEachRemaining(events::add);

        assertThat(events.getFirst().hasStart()).isTrue();
        assertThat(events.get(1).getData().getStdout().toStringUtf8()).isEqualTo("started\n");
        assertThat(events.getLast().getEnd().getExitCode()).isEqualTo(-1);
        assertThat(events.getLast().getEnd().getError()).isEqualTo("timed out after PT2S; the process was killed");
        awaitNoSleepProcess();
    }

    @Test
    void aOneByteFileRoundTripsThroughWriteFileAndReadFile() {
        byte[] content = {42};

        writeFile("/home/user/one-byte", content);

        assertThat(readFile("/home/user/one-byte").toByteArray()).isEqualTo(content);
        assertThat(exec("stat", "-c", "%U %s", "/home/user/one-byte")
                        .getStdout()
                        .toStringUtf8())
                .isEqualTo("user 1\n");
    }

    @Test
    void tenMebibytesRoundTripThroughWriteFileAndReadFile() {
        byte[] content = randomBytes(TEN_MIB, 1);

        writeFile("/home/user/unary.bin", content);

        assertThat(FileStreams.sha256(readFile("/home/user/unary.bin").toByteArray()))
                .isEqualTo(FileStreams.sha256(content));
        assertThat(exec("sha256sum", "/home/user/unary.bin").getStdout().toStringUtf8())
                .startsWith(FileStreams.sha256(content));
    }

    @Test
    void filesRoundTripThroughTheStreamingCalls() throws Exception {
        for (byte[] content : List.of(new byte[] {7}, randomBytes(TEN_MIB, 2))) {
            long written = FileStreams.writeStream(host.async(), SANDBOX, "/home/user/streamed.bin", content);

            assertThat(written).isEqualTo(content.length);
            assertThat(FileStreams.sha256(FileStreams.readStream(agent, SANDBOX, "/home/user/streamed.bin")))
                    .isEqualTo(FileStreams.sha256(content));
        }
    }

    @Test
    void readFileStreamSendsChunksOfAtMost64KiB() {
        writeFile("/home/user/chunks.bin", randomBytes(200_000, 3));

        List<Integer> sizes = new ArrayList<>();
        agent.readFileStream(ReadFileStreamRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setPath("/home/user/chunks.bin")
                        .build())
                .forEachRemaining(chunk -> sizes.add(chunk.getChunk().size()));

        assertThat(sizes).containsExactly(65536, 65536, 65536, 200_000 - 3 * 65536);
    }

    @Test
    void aMissingFileIsNotFound() {
        assertThatThrownBy(() -> readFile("/home/user/no-such-file"))
                .hasMessageStartingWith("NOT_FOUND: reading /home/user/no-such-file in sandbox " + SANDBOX);
        assertThatThrownBy(() -> agent.readFileStream(ReadFileStreamRequest.newBuilder()
                                .setSandboxId(SANDBOX)
                                .setPath("/home/user/no-such-file")
                                .build())
                        .hasNext())
                .hasMessageStartingWith("NOT_FOUND: reading /home/user/no-such-file in sandbox " + SANDBOX);
    }

    @Test
    void anUnknownSandboxIsNotFoundForEveryCall() {
        String none = "sb-missing0";
        assertThatThrownBy(() -> agent.exec(ExecRequest.newBuilder()
                        .setSandboxId(none)
                        .setCmd("true")
                        .build()))
                .hasMessage("NOT_FOUND: sandbox sb-missing0 not found");
        assertThatThrownBy(() -> agent.execStream(ExecStreamRequest.newBuilder()
                                .setSandboxId(none)
                                .setCmd("true")
                                .build())
                        .hasNext())
                .hasMessage("NOT_FOUND: sandbox sb-missing0 not found");
        assertThatThrownBy(() -> agent.readFile(ReadFileRequest.newBuilder()
                        .setSandboxId(none)
                        .setPath("/x")
                        .build()))
                .hasMessage("NOT_FOUND: sandbox sb-missing0 not found");
        assertThatThrownBy(() -> FileStreams.writeStream(host.async(), none, "/x", new byte[] {1}))
                .hasMessageContaining("NOT_FOUND: sandbox sb-missing0 not found");
        assertThatThrownBy(() -> agent.pingSandbox(
                        PingSandboxRequest.newBuilder().setSandboxId(none).build()))
                .hasMessage("NOT_FOUND: sandbox sb-missing0 not found");
    }

    @Test
    void badInputIsRejectedAsInvalidArgument() {
        assertThatThrownBy(() -> agent.exec(
                        ExecRequest.newBuilder().setSandboxId(SANDBOX).build()))
                .hasMessage("INVALID_ARGUMENT: exec in sandbox " + SANDBOX + ": cmd is empty");
        assertThatThrownBy(() -> agent.writeFile(
                        WriteFileRequest.newBuilder().setSandboxId(SANDBOX).build()))
                .hasMessageStartingWith("INVALID_ARGUMENT: write file  in sandbox " + SANDBOX + ": path is empty");
        assertThatThrownBy(() -> FileStreams.writeStreamWithoutMeta(host.async()))
                .hasMessageContaining("INVALID_ARGUMENT: write file stream: the first message must be meta");
        assertThatThrownBy(() -> agent.exec(ExecRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setCmd("true")
                        .setTimeoutSec(-1)
                        .build()))
                .hasMessageContaining("INVALID_ARGUMENT")
                .hasMessageContaining("timeout_sec must not be negative");
    }

    @Test
    void anUploadTheCallerAbandonsLeavesNoFileBehind() {
        var upload =
                FileStreams.startUpload(host.async(), SANDBOX, "/home/user/abandoned.bin", randomBytes(1 << 20, 4));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> fileExists("/home/user/abandoned.bin"));

        upload.onError(new IllegalStateException("the test abandons the upload"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !fileExists("/home/user/abandoned.bin"));
    }

    @Test
    void theGuestAgentRefusesCallsWithoutTheSandboxsAccessToken() throws Exception {
        GuestEndpoint guest = host.manager().guest(SANDBOX);
        URI base = URI.create("http://" + guest.hostIp() + ":49983");
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            ConnectClient noToken = new ConnectClient(base, http, Codec.proto());
            StartRequest start = StartRequest.newBuilder()
                    .setProcess(ProcessConfig.newBuilder().setCmd("true"))
                    .build();
            assertThatThrownBy(() -> noToken.serverStream(
                            "/process.Process/Start",
                            start,
                            StartResponse.getDefaultInstance(),
                            Map.of(),
                            Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(
                            ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAUTHENTICATED));

            HttpResponse<String> download = http.send(
                    HttpRequest.newBuilder(base.resolve("/files?path=/etc/hostname"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(download.statusCode()).isEqualTo(401);
            HttpResponse<String> withToken = http.send(
                    HttpRequest.newBuilder(base.resolve("/files?path=/etc/hostname"))
                            .header("X-Access-Token", guest.accessToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withToken.statusCode()).isEqualTo(200);
            assertThat(withToken.body()).isEqualTo("sandbox\n");
        }
    }

    @Test
    void pingAndExecCountAsActivity() throws Exception {
        long before = lastActive();
        Thread.sleep(1_100); // last_active_at_unix has a resolution of one second

        agent.pingSandbox(PingSandboxRequest.newBuilder().setSandboxId(SANDBOX).build());
        long afterPing = lastActive();
        Thread.sleep(1_100);
        exec("true");

        assertThat(afterPing).isGreaterThan(before);
        assertThat(lastActive()).isGreaterThan(afterPing);
    }

    @Test
    void aPassiveMetricsReadIsNoActivityButAPlainOneIs() throws Exception {
        exec("true");
        long before = lastActive();
        Thread.sleep(1_100); // last_active_at_unix has a resolution of one second

        GetMetricsResponse sample = agent.getMetrics(GetMetricsRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setPassive(true)
                .build());
        assertThat(sample.getMemTotalBytes()).isPositive();
        assertThat(sample.getMemCacheBytes()).isPositive();
        assertThat(lastActive())
                .as("the control plane's sampler keeps no sandbox awake")
                .isEqualTo(before);

        agent.getMetrics(GetMetricsRequest.newBuilder().setSandboxId(SANDBOX).build());
        assertThat(lastActive()).isGreaterThan(before);
    }

    /** The kill is sent as the call ends; the guest reaps the process a moment later. */
    private void awaitNoSleepProcess() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(exec("sh", "-c", "pgrep -x sleep || echo none")
                                .getStdout()
                                .toStringUtf8())
                        .isEqualTo("none\n"));
    }

    private boolean fileExists(String path) {
        return exec("test", "-e", path).getExitCode() == 0;
    }

    private long lastActive() {
        return agent.getSandbox(
                        GetSandboxRequest.newBuilder().setSandboxId(SANDBOX).build())
                .getLastActiveAtUnix();
    }

    private ExecResponse exec(String cmd, String... args) {
        return agent.exec(ExecRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setCmd(cmd)
                .addAllArgs(List.of(args))
                .build());
    }

    private void writeFile(String path, byte[] content) {
        agent.writeFile(WriteFileRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setPath(path)
                .setContent(ByteString.copyFrom(content))
                .build());
    }

    private ByteString readFile(String path) {
        return agent.readFile(ReadFileRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setPath(path)
                        .build())
                .getContent();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
