package dev.wrenn.guest.process;

import static dev.wrenn.guest.process.ProcessClient.command;
import static dev.wrenn.guest.process.ProcessClient.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStartTest {
    private static final ProcessClient client = new ProcessClient();

    @AfterAll
    static void stopService() {
        client.close();
    }

    @Test
    void outputArrivesBetweenTheStartAndTheEndEventOnTheRightStreams() {
        StreamCall<StartResponse> call = client.run(shell("echo one; echo two >&2; echo three; exit 4"));

        List<ProcessEvent> events = call.events();
        assertThat(events.getFirst().getStart().getPid()).isPositive();
        assertThat(events.getLast().hasEnd()).isTrue();
        assertThat(events.subList(1, events.size() - 1)).allMatch(ProcessEvent::hasData);
        assertThat(call.stdout()).isEqualTo("one\nthree\n");
        assertThat(call.stderr()).isEqualTo("two\n");
    }

    @Test
    void aCleanExitReportsExitStatusZeroAndNoError() {
        ProcessEvent.EndEvent end = client.run(command("true")).awaitEnd();

        assertThat(end.getExitCode()).isZero();
        assertThat(end.getExited()).isTrue();
        assertThat(end.getStatus()).isEqualTo("exit status 0");
        assertThat(end.hasError()).isFalse();
    }

    @Test
    void aFailingExitReportsItsCodeAndStatusAsError() {
        ProcessEvent.EndEvent end = client.run(shell("exit 1")).awaitEnd();

        assertThat(end.getExitCode()).isEqualTo(1);
        assertThat(end.getExited()).isTrue();
        assertThat(end.getStatus()).isEqualTo("exit status 1");
        assertThat(end.getError()).isEqualTo("exit status 1");
    }

    @Test
    void deathBySignalIsReportedLikeEnvdWithExitCodeMinusOne() {
        ProcessEvent.EndEvent end = client.run(shell("kill -TERM $$")).awaitEnd();

        assertThat(end.getExitCode()).isEqualTo(-1);
        assertThat(end.getExited()).isFalse();
        assertThat(end.getStatus()).isEqualTo("signal: terminated");
    }

    @Test
    void anUnknownCommandExitsWith127AndSaysSoOnStderr() {
        StreamCall<StartResponse> call = client.run(command("wrenn-no-such-command"));

        assertThat(call.awaitEnd().getExitCode()).isEqualTo(127);
        assertThat(call.stderr()).contains("wrenn-no-such-command").contains("not found");
    }

    @Test
    void theEnvironmentIsUserVariablesThenGlobalVariablesThenRequestVariables() {
        client.state.apply(
                new AgentState.InitUpdate(Map.of("WRENN_GLOBAL", "g", "WRENN_BOTH", "global"), null, null, null));
        StartRequest request = command("env").toBuilder()
                .setProcess(ProcessConfig.newBuilder()
                        .setCmd("env")
                        .putEnvs("WRENN_BOTH", "request")
                        .putEnvs("WRENN_ONLY_REQUEST", "r"))
                .build();

        Map<String, String> env = parseEnv(client.run(request).stdout());

        assertThat(env)
                .containsEntry("HOME", "/root")
                .containsEntry("USER", "root")
                .containsEntry("LOGNAME", "root")
                .containsEntry("PATH", System.getenv("PATH"))
                .containsEntry("WRENN_GLOBAL", "g")
                .containsEntry("WRENN_BOTH", "request")
                .containsEntry("WRENN_ONLY_REQUEST", "r");
        assertThat(env.keySet())
                .as("nothing of the agent's own environment leaks into the process")
                .isSubsetOf(Set.of(
                        "HOME", "USER", "LOGNAME", "PATH", "WRENN_GLOBAL", "WRENN_BOTH", "WRENN_ONLY_REQUEST", "PWD"));
    }

    @Test
    void anAbsoluteCwdIsUsedAsGiven(@TempDir Path dir) throws IOException {
        assertThat(client.run(inDirectory(dir.toString())).stdout().trim())
                .isEqualTo(dir.toRealPath().toString());
    }

    @Test
    void aRelativeCwdAndTildeResolveAgainstTheUsersHome() throws IOException {
        Path sub = Files.createTempDirectory(Path.of("/root"), "wrenn-cwd-");
        try {
            assertThat(client.run(inDirectory(sub.getFileName().toString()))
                            .stdout()
                            .trim())
                    .isEqualTo(sub.toString());
            assertThat(client.run(inDirectory("~/" + sub.getFileName()))
                            .stdout()
                            .trim())
                    .isEqualTo(sub.toString());
            assertThat(client.run(inDirectory("~")).stdout().trim()).isEqualTo("/root");
        } finally {
            Files.delete(sub);
        }
    }

    @Test
    void withoutCwdTheDefaultWorkdirIsUsedElseTheHome(@TempDir Path dir) throws IOException {
        ProcessClient fresh = new ProcessClient();
        try {
            assertThat(fresh.run(command("pwd")).stdout().trim()).isEqualTo("/root");
            fresh.state.apply(new AgentState.InitUpdate(null, null, null, dir.toString()));
            assertThat(fresh.run(command("pwd")).stdout().trim())
                    .isEqualTo(dir.toRealPath().toString());
        } finally {
            fresh.close();
        }
    }

    @Test
    void aMissingCwdIsAnInvalidArgumentNamingThePath() {
        StreamCall<StartResponse> call = client.start(inDirectory("/wrenn/definitely/missing"));

        assertThatThrownBy(call::awaitEnd)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageContaining("/wrenn/definitely/missing");
        assertThat(call.events()).isEmpty();
    }

    @Test
    void anEmptyCommandIsAnInvalidArgument() {
        StreamCall<StartResponse> call = client.start(command(""));

        assertThatThrownBy(call::awaitEnd)
                .cause()
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageContaining("cmd");
    }

    @Test
    void withStdinDisabledTheProcessReadsDevNull() {
        StartRequest request = command("/bin/sh", "-c", "readlink /proc/self/fd/0; cat").toBuilder()
                .setStdin(false)
                .build();

        StreamCall<StartResponse> call = client.run(request);

        assertThat(call.stdout()).isEqualTo("/dev/null\n");
        assertThat(call.awaitEnd().getExitCode()).isZero();
    }

    @Test
    void stdinInputReachesTheProcessAndClosingStdinEndsCat() {
        StreamCall<StartResponse> call = client.start(command("cat"));
        int pid = call.pid();

        client.sendStdin(ProcessClient.pid(pid), "hello ");
        client.sendStdin(ProcessClient.pid(pid), "world");
        await().atMost(StreamCall.PATIENCE).until(() -> call.stdout().equals("hello world"));
        client.closeStdin(ProcessClient.pid(pid));

        assertThat(call.awaitEnd().getExitCode()).isZero();
    }

    @Test
    void theStreamEndsWhenTheProcessExitsEvenIfABackgroundChildKeepsItsPipeOpen() {
        StreamCall<StartResponse> call = client.run(shell("sleep 60 & echo $!"));
        long background = Long.parseLong(call.stdout().trim());
        try {
            assertThat(call.awaitEnd().getStatus()).isEqualTo("exit status 0");
            assertThat(ProcessHandle.of(background))
                    .as("the background child still runs")
                    .isPresent();
        } finally {
            ProcessHandle.of(background).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aCommandSeesItsNameAsGivenInArgvZeroAndThePhysicalCwdInPwd(@TempDir Path dir) throws IOException {
        StartRequest request = command("sh", "-c", "echo $0 $PWD").toBuilder()
                .setProcess(ProcessConfig.newBuilder()
                        .setCmd("sh")
                        .addArgs("-c")
                        .addArgs("echo $0 $PWD")
                        .setCwd(dir.toString()))
                .build();

        assertThat(client.run(request).stdout()).isEqualTo("sh " + dir.toRealPath() + "\n");
    }

    @Test
    void anExecutableScriptWithoutAShebangLineStillRunsAsAShellScript(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("no-shebang"), "echo from the script\n");
        script.toFile().setExecutable(true);

        StreamCall<StartResponse> call = client.run(command(script.toString()));

        assertThat(call.awaitEnd().getExitCode()).isZero();
        assertThat(call.stdout()).isEqualTo("from the script\n");
    }

    @Test
    void variablesThatAreNotShellNamesAreDroppedAsTheShellDropsThem() {
        StartRequest request = command("env").toBuilder()
                .setProcess(ProcessConfig.newBuilder()
                        .setCmd("env")
                        .putEnvs("WRENN-DASHED", "x")
                        .putEnvs("WRENN_PLAIN", "y"))
                .build();

        assertThat(client.run(request).stdout()).contains("WRENN_PLAIN=y").doesNotContain("WRENN-DASHED");
    }

    @Test
    void everyByteWrittenRightBeforeTheExitArrivesBeforeTheEndEvent() {
        StreamCall<StartResponse> call = client.run(shell("head -c 1000000 /dev/zero | tr '\\0' x; exit 5"));

        assertThat(call.awaitEnd().getExitCode()).isEqualTo(5);
        assertThat(call.stdout()).hasSize(1_000_000).matches("x+");
    }

    @Test
    void aProcessThatClosesItsOutputAndKeepsRunningStillReportsItsExit() {
        StreamCall<StartResponse> call = client.run(shell("echo bye; exec >&- 2>&-; sleep 0.3; exit 3"));

        assertThat(call.awaitEnd().getExitCode()).isEqualTo(3);
        assertThat(call.stdout()).isEqualTo("bye\n");
    }

    @Test
    void finishedProcessesLeaveNoDescriptorsOpenInTheAgent() throws IOException {
        client.run(shell("echo warm-up"));
        client.run(ProcessClient.terminal(80, 24, "true"));
        long before = openDescriptors();

        for (int i = 0; i < 10; i++) {
            client.run(shell("echo $i; echo err >&2"));
            client.run(ProcessClient.terminal(80, 24, "true"));
            client.run(command("true").toBuilder().setStdin(false).build());
        }

        assertThat(openDescriptors()).isLessThanOrEqualTo(before);
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static StartRequest inDirectory(String cwd) {
        return command("pwd").toBuilder()
                .setProcess(ProcessConfig.newBuilder().setCmd("pwd").setCwd(cwd))
                .build();
    }

    private static Map<String, String> parseEnv(String output) {
        return Arrays.stream(output.split("\n"))
                .filter(line -> line.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    }
}
