package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.snapshot.Pauser;
import dev.wrenn.host.snapshot.Resumer;
import dev.wrenn.host.sys.CrashPoints;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wrenn up} (control plane and host agent in one process, {@link UpChild}) killed with SIGKILL while a create,
 * pause, resume or destroy is in flight (its host agent held at a named point), then started again on the same data
 * directory. Everything of the process dies with it, so the restarted host agent's sweep reclaims the VMs that were
 * running and lists the committed snapshots again; the control plane settles its rows against that. Checked: a
 * sandbox paused before the kill is paused after it with its disk and memory unchanged (hashes) and resumes; the row
 * of a VM that was running becomes {@code error}; nothing is left. The time from the restart to the settled rows is
 * logged ({@code settled after}).
 */
@Tag("crash")
class WrennUpKillTest {
    private static final Logger LOG = LoggerFactory.getLogger(WrennUpKillTest.class);
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path logs;

    private Path dataDir;
    private int port;
    private int proxyPort;
    private ChildJvm up;
    private SandboxApi api;
    private String email;
    private String password;

    record Case(String operation, String holdPoint) {
        @Override
        public String toString() {
            return "wrenn up killed mid-" + operation + " (held at " + holdPoint + ")";
        }
    }

    static Stream<Case> cases() {
        List<Case> all = List.of(
                new Case("create", SandboxManager.CRASH_CREATE_VM_STARTED),
                new Case("pause", Pauser.CRASH_STATE_SAVED),
                new Case("resume", Resumer.CRASH_STATE_LOADED),
                new Case("destroy", SandboxManager.CRASH_DESTROY_VM_STOPPED));
        String matrix = System.getProperty("wrenn.crash.matrix", "");
        List<String> operations = List.of(matrix.split(","));
        return all.stream()
                .filter(c -> matrix.equals("full")
                        || matrix.equals("all")
                        || operations.contains(c.operation())
                        // the default run: the case that loses most (a paused sandbox beside a create in flight)
                        || (matrix.isBlank() && c.operation().equals("create")));
    }

    @BeforeEach
    void freshDatabase() throws Exception {
        dataDir = UpImage.dataDir();
        for (String file : new String[] {"wrenn.db", "wrenn.db-wal", "wrenn.db-shm"}) {
            Files.deleteIfExists(dataDir.resolve(file));
        }
        port = freePort();
        proxyPort = freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (up != null && up.isAlive() && api != null) {
                for (JsonNode sandbox : api.sandboxes()) {
                    api.destroy(sandbox.get("id").asText());
                }
            }
        } finally {
            if (up != null) {
                up.close();
            }
        }
        HostLeftovers.assertNone(dataDir, CrashCluster.slots());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wrennUpKilledMidOperationKeepsPausedSandboxesAndSettlesTheRest(Case c) throws Exception {
        Path release = logs.resolve("release");
        start(
                "up-1.log",
                List.of(
                        "-D" + CrashPoints.HOLD_PROPERTY + "=" + c.holdPoint(),
                        "-D" + CrashPoints.RELEASE_PROPERTY + "=" + release));
        // Disarmed while the sandbox is made (a create reaches create.vm-started too), armed for the operation.
        Files.writeString(release, "go");
        String id = api.create();
        String hashes = api.exec(id, ControlPlaneKillTest.WRITE);
        if (!c.operation().equals("pause")) {
            api.pause(id);
        }
        Files.delete(release);

        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return switch (c.operation()) {
                    case "create" -> api.send("POST", "/v1/sandboxes", "{\"template\":\"base\"}");
                    case "pause" -> api.send("POST", "/v1/sandboxes/" + id + "/pause", null);
                    case "resume" -> api.send("POST", "/v1/sandboxes/" + id + "/resume", null);
                    case "destroy" -> api.send("DELETE", "/v1/sandboxes/" + id, null);
                    default -> throw new IllegalArgumentException(c.operation());
                };
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        up.awaitLog("hold point " + c.holdPoint() + " reached", Duration.ofMinutes(10));
        up.kill();
        assertThat(inFlight).as("the request dies with wrenn up").failsWithin(Duration.ofSeconds(30));

        long restart = System.nanoTime();
        start("up-2.log", List.of());
        Duration serving = ChildJvm.since(restart);
        Duration settled;
        if (c.operation().equals("pause")) {
            // The VM was running: it died with the process; the row says so.
            settled = api.awaitSandbox(id, s -> SandboxApi.is(s, "error"), restart, SETTLE_LIMIT);
        } else {
            settled = api.awaitSandbox(id, s -> SandboxApi.is(s, "paused"), restart, SETTLE_LIMIT);
        }
        if (c.operation().equals("create")) {
            // Its id never reached the caller, and an ended row is not listed: the database names it.
            List<String> rows = rowIds();
            String created = rows.stream()
                    .filter(other -> !other.equals(id))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the create's row: " + rows));
            Duration createSettled = api.awaitSandbox(created, s -> SandboxApi.is(s, "error"), restart, SETTLE_LIMIT);
            settled = settled.compareTo(createSettled) > 0 ? settled : createSettled;
        }
        LOG.info(
                "{}: serving {} ms and settled after {} ms from the restart",
                c,
                serving.toMillis(),
                settled.toMillis());

        if (!c.operation().equals("pause")) {
            api.resume(id);
            assertThat(api.exec(id, ControlPlaneKillTest.READ))
                    .as("disk and memory of the paused sandbox")
                    .isEqualTo(hashes);
        }
    }

    private void start(String logName, List<String> jvmOptions) throws Exception {
        up = ChildJvm.start(
                "wrenn up",
                logs.resolve(logName),
                jvmOptions,
                UpChild.class.getName(),
                List.of(dataDir.toString(), Integer.toString(port), Integer.toString(proxyPort)),
                Map.of(
                        "WRENN_FIRST_SLOT",
                        UpImage.FIRST_SLOT,
                        "WRENN_MAX_SANDBOXES",
                        Integer.toString(CrashCluster.SLOTS)));
        up.awaitLog(UpChild.SERVING, Duration.ofMinutes(5));
        if (password == null) {
            String line = up.log()
                    .lines()
                    .filter(l -> l.startsWith(UpChild.ADMIN))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no administrator printed: " + up.log()));
            String[] words = line.substring(UpChild.ADMIN.length()).split(" ", 2);
            email = words[0];
            password = words[1];
        }
        ChildJvm process = up;
        api = new SandboxApi(port, process::log);
        api.awaitServing(process::isAlive, Duration.ofMinutes(1));
        api.login(email, password, false);
    }

    private List<String> rowIds() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("wrenn.db"));
                ResultSet rows = db.createStatement().executeQuery("SELECT id FROM sandboxes")) {
            List<String> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
