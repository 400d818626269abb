package dev.wrenn.control.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.ConsoleServer;
import dev.wrenn.control.testing.FakeHostAgent;
import dev.wrenn.control.testing.TestServer.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console is served from the jar with the types browsers insist on for module scripts. */
class ConsoleAssetsTest {

    @Test
    void theConsolePageItsModulesAndXtermAreServedWithTheirTypes(@TempDir Path dir) {
        try (Database database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")));
                ConsoleServer server = ConsoleServer.start(database, new FakeHostAgent())) {
            Reply index = server.get("/");
            Reply main = server.get("/src/main.js");
            Reply css = server.get("/src/console.css");
            Reply xterm = server.get("/vendor/xterm/xterm.mjs");
            Reply fit = server.get("/vendor/addon-fit/addon-fit.mjs");

            assertThat(index.status()).isEqualTo(200);
            assertThat(index.contentType()).startsWith("text/html");
            assertThat(index.body()).contains("<script type=\"importmap\">", "/src/main.js");
            assertThat(main.status()).isEqualTo(200);
            assertThat(main.contentType()).startsWith("text/javascript");
            assertThat(main.body()).contains("import ");
            assertThat(css.contentType()).startsWith("text/css");
            assertThat(xterm.status()).isEqualTo(200);
            assertThat(xterm.contentType()).startsWith("text/javascript");
            assertThat(fit.contentType()).startsWith("text/javascript");
        }
    }

    @Test
    void unknownPathsStillAnswerTheApisJsonNotFound(@TempDir Path dir) {
        try (Database database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")));
                ConsoleServer server = ConsoleServer.start(database, new FakeHostAgent())) {
            Reply missing = server.get("/src/no-such-module.js");
            Reply traversal = server.get("/src/..%2F..%2Flogback.xml");

            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.errorCode()).isEqualTo("not_found");
            assertThat(traversal.status()).isIn(400, 404);
            assertThat(traversal.body()).doesNotContain("<configuration");
        }
    }
}
