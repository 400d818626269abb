package dev.wrenn.guest.process;

import static dev.wrenn.guest.process.ProcessClient.command;
import static dev.wrenn.guest.process.ProcessControlTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.connect.Code;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.GuestUser;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Needs the tests to run as root (so the agent can switch users) and the Debian user "nobody". */
class ProcessUserTest {
    private static final ProcessClient client = new ProcessClient();

    @BeforeAll
    static void requireRoot() {
        assertThat(System.getProperty("user.name"))
                .as("these tests switch users and must run as root")
                .isEqualTo("root");
    }

    @AfterAll
    static void stopService() {
        client.close();
    }

    @Test
    void aProcessRunsAsTheUserNamedByBasicAuth() {
        StartRequest request = StartRequest.newBuilder()
                .setProcess(ProcessConfig.newBuilder()
                        .setCmd("/bin/sh")
                        .addArgs("-c")
                        .addArgs("id -un; id -u; echo $HOME $USER")
                        .setCwd("/tmp"))
                .build();
        StreamCall<StartResponse> call = client.start(request, new FakeCallContext().user("nobody"));

        assertThat(call.awaitEnd().getExitCode()).isZero();
        assertThat(call.stdout()).isEqualTo("nobody\n65534\n/nonexistent nobody\n");
    }

    @Test
    void aTerminalProcessOfAnotherUserOwnsItsTerminal() {
        StartRequest request = ProcessClient.terminal(80, 24, "/bin/sh", "-c", "id -un; stat -c %U $(tty)").toBuilder()
                .setProcess(ProcessConfig.newBuilder()
                        .setCmd("/bin/sh")
                        .addArgs("-c")
                        .addArgs("id -un; stat -c %U $(tty)")
                        .setCwd("/tmp"))
                .build();
        StreamCall<StartResponse> call = client.start(request, new FakeCallContext().user("nobody"));

        assertThat(call.awaitEnd().getExitCode()).isZero();
        assertThat(call.pty()).isEqualTo("nobody\r\nnobody\r\n");
    }

    @Test
    void anAgentThatIsNotRootRefusesToRunProcessesAsAnotherUser() {
        LaunchPlanner planner = new LaunchPlanner(
                new AgentState("alice"), 1000, Optional.of(Path.of("/usr/bin/setpriv")), "/usr/bin:/bin");
        GuestUser root = new GuestUser("root", 0, 0, Path.of("/"), "/bin/sh", List.of());
        GuestUser alice = new GuestUser("alice", 1000, 1000, Path.of("/"), "/bin/sh", List.of());

        assertCode(() -> planner.plan(command("id"), root), Code.PERMISSION_DENIED, "user 'root'");
        LaunchPlan asItself = planner.plan(command("id"), alice);
        assertThat(asItself.program()).as("no user switch").isNotEqualTo("/usr/bin/setpriv");
        assertThat(asItself.argv()).doesNotContain("/usr/bin/setpriv").endsWith("id");
    }

    @Test
    void theDefaultUserAppliesWithoutAuthorization() {
        StreamCall<StartResponse> call = client.run(command("id", "-un"));

        assertThat(call.stdout()).isEqualTo("root\n");
    }

    @Test
    void anUnknownUserIsUnauthenticated() {
        StreamCall<StartResponse> call = client.start(command("true"), new FakeCallContext().user("wrenn-no-user"));

        assertCode(call::awaitEnd, Code.UNAUTHENTICATED, "wrenn-no-user");
        assertCode(
                () -> client.unary(
                        "List",
                        dev.wrenn.protocol.envd.process.ListRequest.getDefaultInstance(),
                        new FakeCallContext().user("wrenn-no-user")),
                Code.UNAUTHENTICATED,
                "wrenn-no-user");
    }
}
