package dev.wrenn.guest.process;

import static dev.wrenn.guest.process.ProcessClient.command;
import static dev.wrenn.guest.process.ProcessClient.pid;
import static dev.wrenn.guest.process.ProcessClient.shell;
import static dev.wrenn.guest.process.ProcessClient.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.protocol.envd.process.ConnectResponse;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import dev.wrenn.protocol.envd.process.ProcessInfo;
import dev.wrenn.protocol.envd.process.ProcessInput;
import dev.wrenn.protocol.envd.process.ProcessSelector;
import dev.wrenn.protocol.envd.process.SendSignalRequest;
import dev.wrenn.protocol.envd.process.Signal;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import dev.wrenn.protocol.envd.process.StreamInputRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ProcessControlTest {
    private static final ProcessClient client = new ProcessClient();

    @AfterAll
    static void stopService() {
        client.close();
    }

    @Test
    void sigkillEndsTheWholeCommandWithExitCodeMinusOne() {
        StreamCall<StartResponse> call = client.start(shell("sleep 60 & echo $!; wait"));
        await().atMost(StreamCall.PATIENCE).until(() -> call.stdout().endsWith("\n"));
        long sleeper = Long.parseLong(call.stdout().trim());

        client.signal(pid(call.pid()), Signal.SIGNAL_SIGKILL);

        ProcessEvent.EndEvent end = call.awaitEnd();
        assertThat(end.getExitCode()).isEqualTo(-1);
        assertThat(end.getExited()).isFalse();
        assertThat(end.getStatus()).isEqualTo("signal: killed");
        await().atMost(StreamCall.PATIENCE)
                .alias("the command's own child got the signal too")
                .until(() -> !isAlive(sleeper));
    }

    @Test
    void sigtermReachesTheProcessGroup() {
        StreamCall<StartResponse> call = client.start(command("sleep", "60"));

        client.signal(pid(call.pid()), Signal.SIGNAL_SIGTERM);

        assertThat(call.awaitEnd().getStatus()).isEqualTo("signal: terminated");
    }

    @Test
    void listShowsRunningProcessesWithTheirConfigAndTag() {
        ProcessConfig config = ProcessConfig.newBuilder()
                .setCmd("sleep")
                .addArgs("60")
                .putEnvs("WRENN_LISTED", "yes")
                .setCwd("/tmp")
                .build();
        StreamCall<StartResponse> call = client.start(
                StartRequest.newBuilder().setProcess(config).setTag("listed").build());
        int pid = call.pid();
        try {
            assertThat(client.list().getProcessesList())
                    .contains(ProcessInfo.newBuilder()
                            .setPid(pid)
                            .setTag("listed")
                            .setConfig(config)
                            .build());
        } finally {
            client.signal(pid(pid), Signal.SIGNAL_SIGKILL);
        }
        call.awaitEnd();
        assertThat(client.list().getProcessesList()).noneMatch(p -> p.getPid() == pid);
    }

    @Test
    void aTagSelectsTheProcessForConnectInputAndSignals() {
        StreamCall<StartResponse> call =
                client.start(command("cat").toBuilder().setTag("by-tag").build());
        call.pid();
        StreamCall<ConnectResponse> attached = client.connect(tag("by-tag"));
        assertThat(attached.pid()).isEqualTo(call.pid());

        client.sendStdin(tag("by-tag"), "tagged\n");
        await().atMost(StreamCall.PATIENCE).until(() -> attached.stdout().equals("tagged\n"));
        client.signal(tag("by-tag"), Signal.SIGNAL_SIGKILL);

        assertThat(attached.awaitEnd().getStatus()).isEqualTo("signal: killed");
        assertThat(call.stdout()).isEqualTo("tagged\n");
    }

    @Test
    void aLateConnectStillReceivesTheEndEvent() {
        int pid = client.run(shell("exit 3")).pid();

        StreamCall<ConnectResponse> late = client.connect(pid(pid));

        assertThat(late.awaitEnd().getExitCode()).isEqualTo(3);
        assertThat(late.events()).hasSize(2);
        assertThat(late.events().getFirst().getStart().getPid()).isEqualTo(pid);
    }

    @Test
    void signalsAndInputForAFinishedProcessAreNotFound() {
        int pid = client.run(command("true")).pid();

        assertCode(
                () -> client.signal(pid(pid), Signal.SIGNAL_SIGKILL),
                Code.NOT_FOUND,
                "process with pid " + pid + " not found");
        assertCode(() -> client.sendStdin(pid(pid), "x"), Code.NOT_FOUND, "not found");
    }

    @Test
    void unknownPidsAndTagsAreNotFound() {
        assertCode(
                () -> client.connect(pid(999_999_999)).awaitEnd(),
                Code.NOT_FOUND,
                "process with pid 999999999 not found");
        assertCode(
                () -> client.closeStdin(tag("no-such-tag")),
                Code.NOT_FOUND,
                "process with tag 'no-such-tag' not found");
        assertCode(() -> client.closeStdin(ProcessSelector.getDefaultInstance()), Code.INVALID_ARGUMENT, "selector");
    }

    @Test
    void anUnspecifiedOrUnknownSignalIsAnInvalidArgument() {
        StreamCall<StartResponse> call = client.start(command("sleep", "60"));
        try {
            assertCode(
                    () -> client.signal(pid(call.pid()), Signal.SIGNAL_UNSPECIFIED), Code.INVALID_ARGUMENT, "signal");
            SendSignalRequest unknown = SendSignalRequest.newBuilder()
                    .setProcess(pid(call.pid()))
                    .setSignalValue(2)
                    .build();
            assertCode(() -> client.unary("SendSignal", unknown), Code.INVALID_ARGUMENT, "got 2");
        } finally {
            client.signal(pid(call.pid()), Signal.SIGNAL_SIGKILL);
        }
    }

    @Test
    void inputToAClosedOrDisabledStdinIsAFailedPrecondition() {
        StreamCall<StartResponse> open = client.start(command("sleep", "60"));
        StreamCall<StartResponse> disabled =
                client.start(command("sleep", "60").toBuilder().setStdin(false).build());
        try {
            client.closeStdin(pid(open.pid()));
            client.closeStdin(pid(open.pid()));
            assertCode(() -> client.sendStdin(pid(open.pid()), "late"), Code.FAILED_PRECONDITION, "closed");
            assertCode(() -> client.sendStdin(pid(disabled.pid()), "x"), Code.FAILED_PRECONDITION, "disabled");
            assertCode(
                    () -> client.sendInput(pid(open.pid()), ProcessInput.getDefaultInstance()),
                    Code.INVALID_ARGUMENT,
                    "empty");
            assertCode(() -> client.sendPty(pid(open.pid()), "x"), Code.FAILED_PRECONDITION, "PTY");
            assertCode(() -> client.resize(pid(open.pid()), 100, 30), Code.FAILED_PRECONDITION, "PTY");
        } finally {
            client.signal(pid(open.pid()), Signal.SIGNAL_SIGKILL);
            client.signal(pid(disabled.pid()), Signal.SIGNAL_SIGKILL);
        }
    }

    @Test
    void inputLargerThanThePipeBufferIsWrittenCompletely() {
        StreamCall<StartResponse> call = client.start(command("wc", "-c"));
        String megabyte = "x".repeat(1 << 20);

        client.sendStdin(pid(call.pid()), megabyte);
        client.closeStdin(pid(call.pid()));

        assertThat(call.awaitEnd().getExitCode()).isZero();
        assertThat(call.stdout().trim()).isEqualTo(Integer.toString(1 << 20));
    }

    @Test
    void inputToAProcessThatClosedItsStdinIsAFailedPreconditionAndTheAgentSurvives() {
        StreamCall<StartResponse> call = client.start(shell("exec 0<&-; echo closed; sleep 60"));
        await().atMost(StreamCall.PATIENCE).until(() -> call.stdout().equals("closed\n"));
        try {
            assertCode(
                    () -> client.sendStdin(pid(call.pid()), "nobody reads this"),
                    Code.FAILED_PRECONDITION,
                    "Broken pipe");
        } finally {
            client.signal(pid(call.pid()), Signal.SIGNAL_SIGKILL);
        }
        assertThat(client.run(command("true")).awaitEnd().getExitCode()).isZero();
    }

    @Test
    void streamInputWritesEveryDataMessageToStdin() {
        StreamCall<StartResponse> call = client.start(command("cat"));
        ProcessInput chunk = ProcessInput.newBuilder()
                .setStdin(ProcessClient.utf8("streamed\n"))
                .build();

        client.streamInput(List.of(
                StreamInputRequest.newBuilder()
                        .setStart(StreamInputRequest.StartEvent.newBuilder().setProcess(pid(call.pid())))
                        .build(),
                StreamInputRequest.newBuilder()
                        .setKeepalive(StreamInputRequest.KeepAlive.getDefaultInstance())
                        .build(),
                StreamInputRequest.newBuilder()
                        .setData(StreamInputRequest.DataEvent.newBuilder().setInput(chunk))
                        .build()));
        client.closeStdin(pid(call.pid()));

        assertThat(call.awaitEnd().getExitCode()).isZero();
        assertThat(call.stdout()).isEqualTo("streamed\n");
        assertCode(() -> client.streamInput(List.of()), Code.INVALID_ARGUMENT, "first message");
    }

    @Test
    void theDeadlineOfTheStartCallKillsTheProcess() {
        FakeCallContext context = new FakeCallContext().deadline(Instant.now().plusMillis(1500));
        StreamCall<StartResponse> call = client.start(command("sleep", "60"), context);
        int pid = call.pid();

        assertCode(call::awaitEnd, Code.DEADLINE_EXCEEDED, "deadline");

        assertThat(client.connect(pid(pid)).awaitEnd().getStatus()).isEqualTo("signal: killed");
    }

    @Test
    void aPassedDeadlineEndsTheStreamAfterTheStartAndTheOutputWithEnvdsErrorAndNoEndEvent() {
        // envd: start event, the output as it comes, then (ctx.Done) the stream's error, Go's "context deadline
        // exceeded"; E2B's SDK raises it while iterating the output, after commands.run/start returned the handle.
        FakeCallContext context = new FakeCallContext().deadline(Instant.now().plusMillis(2500));
        StreamCall<StartResponse> call =
                client.start(command("sh", "-c", "echo first; sleep 0.2; echo second; sleep 60"), context);
        call.pid();

        assertCode(call::awaitEnd, Code.DEADLINE_EXCEEDED, ConnectException.DEADLINE_MESSAGE);

        assertThat(call.stdout()).isEqualTo("first\nsecond\n");
        assertThat(call.events().getFirst().hasStart()).isTrue();
        assertThat(call.events()).noneMatch(ProcessEvent::hasEnd);
    }

    @Test
    void aClientDisconnectDoesNotKillTheProcess() {
        StreamCall<StartResponse> call = client.start(command("cat"));
        int pid = call.pid();

        call.disconnect();
        call.completion().join();

        assertThat(client.list().getProcessesList()).anyMatch(p -> p.getPid() == pid);
        StreamCall<ConnectResponse> again = client.connect(pid(pid));
        again.pid();
        client.sendStdin(pid(pid), "still here\n");
        await().atMost(StreamCall.PATIENCE).until(() -> again.stdout().equals("still here\n"));
        client.closeStdin(pid(pid));
        assertThat(again.awaitEnd().getExitCode()).isZero();
    }

    @Test
    void keepalivesArriveAtTheRequestedInterval() {
        FakeCallContext context = new FakeCallContext().header("Keepalive-Ping-Interval", "1");
        StreamCall<StartResponse> call = client.start(command("cat"), context);
        int pid = call.pid();

        await().atMost(StreamCall.PATIENCE)
                .until(() -> call.events().stream()
                                .filter(ProcessEvent::hasKeepalive)
                                .count()
                        >= 2);
        client.closeStdin(pid(pid));

        assertThat(call.awaitEnd().getExitCode()).isZero();
        assertThat(call.events().getFirst().hasStart()).isTrue();
    }

    private static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static void assertCode(ThrowingCallable call, Code code, String messagePart) {
        assertThatThrownBy(call).satisfies(thrown -> {
            Throwable cause = thrown instanceof ConnectException ? thrown : thrown.getCause();
            assertThat(cause).isInstanceOf(ConnectException.class).hasMessageContaining(messagePart);
            assertThat(((ConnectException) cause).code()).isEqualTo(code);
        });
    }
}
