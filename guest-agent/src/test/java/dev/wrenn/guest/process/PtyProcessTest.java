package dev.wrenn.guest.process;

import static dev.wrenn.guest.process.ProcessClient.pid;
import static dev.wrenn.guest.process.ProcessClient.terminal;
import static dev.wrenn.guest.process.ProcessControlTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wrenn.connect.Code;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PtyProcessTest {
    private static final ProcessClient client = new ProcessClient();

    @AfterAll
    static void stopService() {
        client.close();
    }

    @Test
    void outputArrivesAsPtyDataFromATerminal() {
        StreamCall<StartResponse> call = client.run(terminal(80, 24, "/bin/sh", "-c", "tty; echo hello"));

        assertThat(call.pty()).contains("/dev/pts/").contains("hello\r\n");
        assertThat(call.stdout()).isEmpty();
        assertThat(call.awaitEnd().getExitCode()).isZero();
    }

    @Test
    void theTerminalIsTheControllingTerminalOfANewSession() {
        String script = "ps -o sid=,tty= -p $$; echo pid=$$";
        StreamCall<StartResponse> call = client.run(terminal(80, 24, "/bin/sh", "-c", script));

        String[] sessionAndTty =
                call.pty().lines().findFirst().orElseThrow().trim().split("\\s+");
        assertThat(sessionAndTty[0]).isEqualTo(Integer.toString(call.pid()));
        assertThat(sessionAndTty[1]).startsWith("pts/");
    }

    @Test
    void inputIsTypedIntoTheTerminal() {
        StreamCall<StartResponse> call = client.start(terminal(80, 24, "cat"));
        int pid = call.pid();

        client.sendPty(pid(pid), "typed text\n");
        await().atMost(StreamCall.PATIENCE).until(() -> call.pty().contains("typed text\r\ntyped text\r\n"));
        client.sendPty(pid(pid), "\u0004"); // Ctrl-D at the start of a line: end of file for cat

        assertThat(call.awaitEnd().getExitCode()).isZero();
    }

    @Test
    void resizingTheTerminalChangesWhatTheProcessSees() {
        StartRequest request =
                terminal(80, 24, "/bin/sh", "-c", "tput cols; read line; tput cols; tput lines").toBuilder()
                        .setProcess(ProcessConfig.newBuilder()
                                .setCmd("/bin/sh")
                                .addArgs("-c")
                                .addArgs("tput cols; read line; tput cols; tput lines")
                                .putEnvs("TERM", "xterm"))
                        .build();
        StreamCall<StartResponse> call = client.start(request);
        int pid = call.pid();
        await().atMost(StreamCall.PATIENCE).until(() -> call.pty().contains("80"));

        client.resize(pid(pid), 123, 45);
        client.sendPty(pid(pid), "\n");

        assertThat(call.awaitEnd().getExitCode()).isZero();
        assertThat(call.pty().lines().map(String::trim).filter(l -> !l.isEmpty()))
                .containsExactly("80", "123", "45");
    }

    @Test
    void stdinOperationsOnATerminalProcessAreFailedPreconditions() {
        StreamCall<StartResponse> call = client.start(terminal(80, 24, "cat"));
        int pid = call.pid();
        try {
            assertCode(() -> client.sendStdin(pid(pid), "x"), Code.FAILED_PRECONDITION, "PTY");
            assertCode(() -> client.closeStdin(pid(pid)), Code.FAILED_PRECONDITION, "PTY");
            assertCode(() -> client.resize(pid(pid), 0, 10), Code.INVALID_ARGUMENT, "positive");
        } finally {
            client.signal(pid(pid), dev.wrenn.protocol.envd.process.Signal.SIGNAL_SIGKILL);
        }
        assertThat(call.awaitEnd().getStatus()).isEqualTo("signal: killed");
    }
}
