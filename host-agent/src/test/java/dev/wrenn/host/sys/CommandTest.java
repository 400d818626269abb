package dev.wrenn.host.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandTest {

    @Test
    void capturesStdoutAndStderrSeparately() {
        CommandResult result = Command.of("sh", "-c", "echo out; echo err >&2").run();

        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void passesArgumentsLiterallyWithoutAShell() {
        CommandResult result =
                Command.of("echo", "a; rm -rf /tmp/nothing $(id)").run();

        assertThat(result.stdout()).isEqualTo("a; rm -rf /tmp/nothing $(id)\n");
    }

    @Test
    void aFailingCommandIsAnErrorNamingTheCommandAndQuotingStderr() {
        assertThatThrownBy(() -> Command.of("ls", "/no/such/dir").run())
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("`ls /no/such/dir` exited 2")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void failuresCanBeInspectedInsteadOfThrown() {
        CommandResult result = Command.of("sh", "-c", "exit 3").runAllowingFailure();

        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isEqualTo(3);
    }

    @Test
    void stdinIsEmptySoAChildReadingItEndsAtOnce() {
        assertThat(Command.of("cat").run().stdout()).isEmpty();
    }

    @Test
    void inputIsFedToStdinWhenGiven() {
        assertThat(Command.of("cat").withInput("ruleset\n").run().stdout()).isEqualTo("ruleset\n");
    }

    @Test
    void aCommandOverItsTimeoutIsKilledAndReported() {
        assertThatThrownBy(() -> Command.of("sleep", "30")
                        .withTimeout(Duration.ofMillis(200))
                        .run())
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("`sleep 30` did not finish within")
                .extracting(e -> ((CommandException) e).code())
                .isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    }

    @Test
    void aMissingProgramIsReportedByName() {
        assertThatThrownBy(() -> Command.of("/no/such/program").run())
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("`/no/such/program` could not start");
    }

    @Test
    void theHostCpuRateIsReadFromCpuinfoInKilohertz() {
        assertThat(HostCpu.tscKhz("processor\t: 0\ncpu MHz\t\t: 2445.406\n")).isEqualTo(2_445_406);
        assertThat(HostCpu.tscKhz()).isPositive();
    }
}
