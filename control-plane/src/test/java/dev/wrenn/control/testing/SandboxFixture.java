package dev.wrenn.control.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.TestServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * The app over a test database with an {@link InMemoryHostAgent}, and two signed-up teams: Ada's (with a user token
 * and an API key) and Bob's, whose requests must never reach Ada's sandboxes.
 */
public final class SandboxFixture implements AutoCloseable {
    public final TestServer server;
    public final InMemoryHostAgent agent;
    public final JsonNode ada;
    public final JsonNode bob;
    public final String adaKey;
    private final Path dir;

    private SandboxFixture(TestServer server, InMemoryHostAgent agent, Path dir) {
        this.server = server;
        this.agent = agent;
        this.dir = dir;
        this.ada = server.signup("ada@example.com", "correct horse");
        this.bob = server.signup("bob@example.com", "battery staple");
        this.adaKey = server.post("/v1/api-keys", "{\"name\":\"ci\"}", "Authorization", TestServer.bearer(ada))
                .json()
                .get("key")
                .asText();
    }

    public static SandboxFixture start(Database database) {
        return start(database, new InMemoryHostAgent(), Config.DEFAULT_MAX_UPLOAD_BYTES);
    }

    public static SandboxFixture start(Database database, InMemoryHostAgent agent, long maxUploadBytes) {
        Path dir = tempDir();
        return new SandboxFixture(
                TestServer.start(database, agent, TestServer.config(dir, maxUploadBytes)), agent, dir);
    }

    /** The control plane's data directory in this fixture. */
    public Path dataDir() {
        return dir;
    }

    /** Headers for Ada's API key. */
    public String[] adaByKey() {
        return new String[] {"X-API-Key", adaKey};
    }

    /** Headers for Ada's user token. */
    public String[] adaByToken() {
        return new String[] {"Authorization", TestServer.bearer(ada)};
    }

    public String[] bobByToken() {
        return new String[] {"Authorization", TestServer.bearer(bob)};
    }

    /** Creates one of Ada's sandboxes and returns it (failing the test unless the answer is 201). */
    public JsonNode createForAda(String body) {
        Reply reply = server.post("/v1/sandboxes", body, adaByKey());
        assertThat(reply.status()).as("create answered %s", reply.body()).isEqualTo(201);
        return reply.json();
    }

    public String createRunningForAda() {
        return createForAda("{}").get("id").asText();
    }

    public JsonNode get(String id) {
        return server.get("/v1/sandboxes/" + id, adaByKey()).json();
    }

    /** Runs {@code call(0..count-1)} on 16 threads at once and returns the results in index order. */
    public static <T> List<T> inParallel(int count, IndexedCall<T> call) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<T>> futures = IntStream.range(0, count)
                    .mapToObj(i -> pool.submit((Callable<T>) () -> call.run(i)))
                    .toList();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    @FunctionalInterface
    public interface IndexedCall<T> {
        T run(int index) throws Exception;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            PostgresCluster.deleteTree(dir);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("wrenn-cp-sandbox-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
