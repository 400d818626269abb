package dev.wrenn.control.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.e2e.RealHostAgent;
import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.testing.FakeHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The control plane's own cost, each figure beside its floor in the same run (opt-in):
 *
 * <pre>
 * ./mvnw -q -B -pl control-plane -am test -Dtest=ControlPlaneBenchmark -Dwrenn.bench=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dwrenn.bench.iterations=300]
 * </pre>
 *
 * <ul>
 *   <li>exec of {@code true} in a real VM: {@code POST /v1/sandboxes/{id}/exec} vs the host agent's gRPC Exec
 *       called directly, interleaved so both see the same machine load;
 *   <li>{@code GET /v1/sandboxes} with 50 concurrent clients and 100 sandboxes in the team, on SQLite and on
 *       PostgreSQL, beside {@code GET /healthz} (one {@code SELECT 1}) under the same load.
 * </ul>
 */
@EnabledIfSystemProperty(named = "wrenn.bench", matches = "true")
class ControlPlaneBenchmark {
    private static final int ITERATIONS = Integer.getInteger("wrenn.bench.iterations", 300);
    private static final int CLIENTS = 50;
    private static final int SANDBOXES = 100;
    private static final int REQUESTS_PER_CLIENT = Integer.getInteger("wrenn.bench.listRequests", 100);

    @Test
    void execOfTrueThroughTheControlPlaneBesideTheHostAgentDirectly() throws Exception {
        Path dir = Files.createTempDirectory("wrenn-cp-bench-");
        try (RealHostAgent agent = RealHostAgent.start();
                GrpcHostAgentClient client = agent.connect();
                Database database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")));
                TestServer server = TestServer.start(database, client, TestServer.config(dir))) {
            String[] auth = {"Authorization", TestServer.bearer(server.signup("bench@example.com", "correct horse"))};
            String id =
                    server.post("/v1/sandboxes", "{}", auth).json().get("id").asText();
            String path = "/v1/sandboxes/" + id + "/exec";
            ExecRequest direct =
                    ExecRequest.newBuilder().setSandboxId(id).setCmd("true").build();
            Latencies viaApi = new Latencies(ITERATIONS);
            Latencies viaGrpc = new Latencies(ITERATIONS);
            for (int i = 0; i < 30; i++) { // warm-up: JIT, connections, the guest's page cache
                server.post(path, "{\"cmd\":\"true\"}", auth);
                client.exec(direct);
            }
            for (int i = 0; i < ITERATIONS; i++) {
                long start = System.nanoTime();
                assertThat(server.post(path, "{\"cmd\":\"true\"}", auth).status())
                        .isEqualTo(200);
                viaApi.add(System.nanoTime() - start);
                start = System.nanoTime();
                client.exec(direct);
                viaGrpc.add(System.nanoTime() - start);
            }
            server.delete("/v1/sandboxes/" + id, auth);
            System.out.println("BENCH exec true via control plane REST: " + viaApi.summary());
            System.out.println("BENCH exec true via host agent gRPC (floor): " + viaGrpc.summary());
        } finally {
            deleteTree(dir);
        }
    }

    @OnBothDatabases
    void listingSandboxesWithFiftyConcurrentClients(Database database) throws Exception {
        Path dir = Files.createTempDirectory("wrenn-cp-bench-");
        try (TestServer server = TestServer.start(database, new FakeHostAgent(), TestServer.config(dir))) {
            var ada = server.signup("bench@example.com", "correct horse");
            String key = server.post("/v1/api-keys", "{}", "Authorization", TestServer.bearer(ada))
                    .json()
                    .get("key")
                    .asText();
            insertSandboxes(database, ada.get("team_id").asText());
            assertThat(server.get("/v1/sandboxes", "X-API-Key", key).json()).hasSize(SANDBOXES);

            Latencies floor = load(server, "/healthz", new String[0]);
            Latencies list = load(server, "/v1/sandboxes", new String[] {"X-API-Key", key});
            String kind = database.dialect().name().toLowerCase(java.util.Locale.ROOT);
            System.out.println("BENCH [" + kind + "] GET /v1/sandboxes, " + CLIENTS + " clients, " + SANDBOXES
                    + " sandboxes: " + list.summary());
            System.out.println(
                    "BENCH [" + kind + "] GET /healthz (floor), " + CLIENTS + " clients: " + floor.summary());
        } finally {
            deleteTree(dir);
        }
    }

    private static Latencies load(TestServer server, String path, String[] headers) throws Exception {
        for (int i = 0; i < 200; i++) {
            server.get(path, headers); // warm-up
        }
        Latencies latencies = new Latencies(CLIENTS * REQUESTS_PER_CLIENT);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> {
                    go.await();
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        long start = System.nanoTime();
                        int status = server.get(path, headers).status();
                        latencies.add(System.nanoTime() - start);
                        if (status != 200) {
                            throw new IllegalStateException("GET " + path + " answered " + status);
                        }
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(latencies.count()).isEqualTo(CLIENTS * REQUESTS_PER_CLIENT);
        return latencies;
    }

    private static void insertSandboxes(Database database, String teamId) {
        SandboxRepository rows = new SandboxRepository(database);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < SANDBOXES; i++) {
            Instant at = t0.plusSeconds(i);
            rows.insert(new Sandbox(
                    String.format("sb-%08x", i),
                    teamId,
                    "default",
                    "base",
                    SandboxStatus.RUNNING,
                    1,
                    512,
                    0,
                    "10.11.0." + (i + 1),
                    Map.of("n", Integer.toString(i)),
                    null,
                    at,
                    at,
                    at,
                    at));
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
