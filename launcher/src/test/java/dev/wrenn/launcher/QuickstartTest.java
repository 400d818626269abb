package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuickstartTest {
    private static final Quickstart.Admin NEW_ADMIN =
            new Quickstart.Admin("admin@localhost", "k3Jv_x9Q-generated-pw0Zq");
    private static final Quickstart.Admin KNOWN_ADMIN = new Quickstart.Admin("admin@localhost", null);

    @Test
    void theBannerNamesTheConsoleTheApiAndTheDocs() {
        String banner = Quickstart.banner("http://127.0.0.1:8080/", KNOWN_ADMIN);

        assertThat(banner)
                .contains("web console  http://127.0.0.1:8080/\n")
                .contains("API          http://127.0.0.1:8080/v1")
                .contains("http://127.0.0.1:8080/docs")
                .contains("Ctrl-C");
    }

    @Test
    void theExampleIsTheIndentedBlockAfterItsHeadingAndTalksToTheSameServer() {
        String banner = Quickstart.banner("http://127.0.0.1:8080/", NEW_ADMIN);

        String after =
                banner.substring(banner.indexOf(Quickstart.EXAMPLE_HEADING) + Quickstart.EXAMPLE_HEADING.length() + 1);
        assertThat(after.stripTrailing().lines()).allMatch(line -> line.startsWith("  "));
        assertThat(after.stripTrailing().indent(-2)).isEqualTo(Quickstart.example("http://127.0.0.1:8080/", NEW_ADMIN));
        assertThat(Quickstart.example("http://127.0.0.1:8080/", NEW_ADMIN)).startsWith("WRENN=http://127.0.0.1:8080\n");
    }

    @Test
    void aGeneratedPasswordIsShownWithTheAdministratorAndUsedByTheExample() {
        String banner = Quickstart.banner("http://127.0.0.1:8080/", NEW_ADMIN);

        assertThat(banner).contains("admin@localhost  password " + NEW_ADMIN.password(), "only this once");
        assertThat(Quickstart.example("http://127.0.0.1:8080/", NEW_ADMIN))
                .contains("PASSWORD='" + NEW_ADMIN.password() + "'")
                .doesNotContain("change-me-please", "/v1/auth/signup");
    }

    @Test
    void onLaterStartsNoPasswordIsShownAndTheExampleAsksForIt() {
        String banner = Quickstart.banner("http://127.0.0.1:8080/", KNOWN_ADMIN);

        assertThat(banner).contains("admin@localhost (password printed at the first start", "--reset-password");
        assertThat(banner).doesNotContain("password '", "change-me-please");
        CommandResult result = Command.of(
                        "bash", "-euo", "pipefail", "-c", Quickstart.example("http://127.0.0.1:1/", KNOWN_ADMIN))
                .withTimeout(Duration.ofSeconds(30))
                .runAllowingFailure();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("WRENN_PASSWORD: the password printed at the first start");
    }
}
