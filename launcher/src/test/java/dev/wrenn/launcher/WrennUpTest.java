package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code wrenn up} in this JVM, as {@link WrennUp#main} starts it but on a free port, over a real guest image with
 * real VMs (TCG here): the printed example, the console's routes against a real sandbox, and a clean stop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WrennUpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Path dataDir;
    private WrennUp up;

    /** On a data directory without a database, as a first start is: the administrator is made and shown once. */
    @BeforeAll
    void startWrennUp() throws Exception {
        dataDir = UpImage.dataDir();
        for (String file : new String[] {"wrenn.db", "wrenn.db-wal", "wrenn.db-shm"}) {
            Files.deleteIfExists(dataDir.resolve(file));
        }
        up = WrennUp.start(
                new UpOptions(dataDir, "127.0.0.1", 0, 0),
                Map.of("WRENN_FIRST_SLOT", UpImage.FIRST_SLOT, "WRENN_MAX_SANDBOXES", "4", "WRENN_EGRESS", "off"));
    }

    /** As Ctrl-C does: every VM is gone and SQLite is closed (its write-ahead log checkpointed away). */
    @AfterAll
    void stopItAndFindNothingLeft() {
        if (up == null) {
            return;
        }
        up.close();

        assertThat(ProcessHandle.allProcesses()
                        .map(p -> p.info().commandLine().orElse(""))
                        .filter(line -> line.contains("qemu-system") && line.contains(dataDir.toString())))
                .isEmpty();
        assertThat(dataDir.resolve("sandboxes")).isEmptyDirectory();
        assertThat(dataDir.resolve("wrenn.db-wal")).doesNotExist();
    }

    @Test
    void theConsoleAndTheApiAreServedOnOnePort() throws Exception {
        HttpResponse<String> page = get("/");
        HttpResponse<String> health = get("/healthz");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Wrenn console</title>");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(up.url()).isEqualTo("http://127.0.0.1:" + up.port() + "/");
    }

    @Test
    void thePrintedExampleRunsACommandInARealSandboxExactlyAsPrinted() {
        assertThat(up.admin().password())
                .as("the first start's generated password")
                .isNotBlank();
        String example = Quickstart.example(up.url(), up.admin());

        CommandResult result = Command.of("bash", "-euo", "pipefail", "-c", example)
                .withTimeout(Duration.ofMinutes(10))
                .runAllowingFailure();

        assertThat(result.exitCode()).as("the example's output: %s", result).isZero();
        assertThat(result.stdout()).contains("\"stdout\":\"hello from ");
    }

    @Test
    void aRealSandboxListsItsFilesAndReportsItsMetrics() throws Exception {
        String token = signup();
        String sandbox = createSandbox(token);
        try {
            HttpResponse<String> listing = get("/v1/sandboxes/" + sandbox + "/files/list?path=/etc&depth=1", token);
            HttpResponse<String> metrics = get("/v1/sandboxes/" + sandbox + "/metrics", token);

            assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
            assertThat(JSON.readTree(listing.body()).get("entries").findValuesAsText("name"))
                    .contains("hostname", "passwd");
            JsonNode sample = JSON.readTree(metrics.body()).get(0);
            assertThat(sample.get("cpu_count").asInt()).isEqualTo(1);
            assertThat(sample.get("mem_total").asLong()).isGreaterThan(256L << 20);
        } finally {
            send("DELETE", "/v1/sandboxes/" + sandbox, token, null);
        }
    }

    @Test
    void aTerminalInARealSandboxRunsTypedCommandsAsTheDefaultUser() throws Exception {
        String token = signup();
        String sandbox = createSandbox(token);
        try (Terminal terminal = Terminal.open(http, up.port(), sandbox, token)) {
            terminal.type("echo hi from $(whoami)\r");

            assertThat(terminal.outputUntil("hi from user")).contains("hi from user");
            terminal.type("exit 5\r");
            assertThat(terminal.exitCode()).isEqualTo(5);
        } finally {
            send("DELETE", "/v1/sandboxes/" + sandbox, token, null);
        }
    }

    @Test
    void afterTheFirstAccountASignupWithoutAnInvitationIsRefused() throws Exception {
        HttpResponse<String> reply = send(
                "POST",
                "/v1/auth/signup",
                null,
                "{\"email\":\"up-" + UUID.randomUUID() + "@example.com\",\"password\":\"correct horse battery\"}");

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(403);
        assertThat(reply.body()).contains("\"code\":\"signup_closed\"");
    }

    /** A token of the administrator the first start made, with the password it printed. */
    private String signup() throws Exception {
        String credentials = JSON.createObjectNode()
                .put("email", up.admin().email())
                .put("password", up.admin().password())
                .toString();
        HttpResponse<String> reply = send("POST", "/v1/auth/login", null, credentials);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.body()).get("token").asText();
    }

    private String createSandbox(String token) throws Exception {
        HttpResponse<String> reply = send("POST", "/v1/sandboxes", token, "{\"template\":\"base\"}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
        return JSON.readTree(reply.body()).get("id").asText();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + up.port() + path))
                .timeout(Duration.ofMinutes(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
