package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** The example run by bash with a stand-in curl that records its arguments: the login sends the printed password. */
    @Test
    void theExampleLogsInWithThePrintedPasswordAsValidJson(@TempDir Path dir) throws Exception {
        Path curl = dir.resolve("curl");
        Files.writeString(curl, """
                #!/bin/sh
                printf '%s\\n' "$@" >> "$(dirname "$0")/calls"
                echo '{"token":"t","key":"k","id":"sb-1"}'
                """);
        Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwx------"));

        CommandResult result = Command.of(
                        "env",
                        "PATH=" + dir + ":/usr/bin:/bin",
                        "bash",
                        "-euo",
                        "pipefail",
                        "-c",
                        Quickstart.example("http://127.0.0.1:8080/", NEW_ADMIN))
                .withTimeout(Duration.ofSeconds(30))
                .runAllowingFailure();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> calls = Files.readAllLines(dir.resolve("calls"));
        assertThat(calls.get(0)).isEqualTo("-sSf");
        assertThat(calls.get(1)).isEqualTo("http://127.0.0.1:8080/v1/auth/login");
        String body = calls.get(calls.indexOf("-d") + 1);
        JsonNode login = new ObjectMapper().readTree(body);
        assertThat(login.get("email").asText()).isEqualTo("admin@localhost");
        assertThat(login.get("password").asText()).isEqualTo(NEW_ADMIN.password());
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
