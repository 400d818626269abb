package dev.wrenn.control.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.config.Config;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;

/**
 * docs/security.md row 8, the rest of it: resumes, pauses and snapshots racing at a team's quota cannot together
 * exceed it, as creates cannot ({@link QuotaRaceSecurityTest}). The host agent holds every call that reaches it until
 * each racer has either reached it or been answered, so a check that is not atomic lets all of them through.
 */
@Tag("security")
class QuotaReservationRaceSecurityTest {
    private static final int ALLOWED = 2;
    private static final int RACERS = 8;

    @OnBothDatabases
    void concurrentResumesAtTheRunningLimitPassExactlyTheQuota(Database database) throws Exception {
        GatedAgent agent = new GatedAgent();
        try (SandboxFixture api = SandboxFixture.start(database, agent, Config.DEFAULT_MAX_UPLOAD_BYTES)) {
            List<String> ids = bobsSandboxes(api);
            for (String id : ids) {
                assertThat(api.server
                                .post("/v1/sandboxes/" + id + "/pause", null, api.bobByToken())
                                .status())
                        .isEqualTo(200);
            }
            setBobsQuota(api, database, "{\"running\":" + ALLOWED + "}");

            List<Reply> answers = race(
                    agent, i -> api.server.post("/v1/sandboxes/" + ids.get(i) + "/resume", null, api.bobByToken()));

            assertExactlyTheQuotaPassed(answers, 200);
            assertThat(statusCount(api, "running")).isEqualTo(ALLOWED);
            assertThat(statusCount(api, "paused"))
                    .as("a refused resume leaves the sandbox paused")
                    .isEqualTo(RACERS - ALLOWED);
            assertNoReservationLeft(database);
        }
    }

    @OnBothDatabases
    void concurrentPausesAtThePausedLimitPassExactlyTheQuota(Database database) throws Exception {
        GatedAgent agent = new GatedAgent();
        try (SandboxFixture api = SandboxFixture.start(database, agent, Config.DEFAULT_MAX_UPLOAD_BYTES)) {
            List<String> ids = bobsSandboxes(api);
            setBobsQuota(api, database, "{\"paused\":" + ALLOWED + "}");

            List<Reply> answers =
                    race(agent, i -> api.server.post("/v1/sandboxes/" + ids.get(i) + "/pause", null, api.bobByToken()));

            assertExactlyTheQuotaPassed(answers, 200);
            assertThat(statusCount(api, "paused")).isEqualTo(ALLOWED);
            assertThat(statusCount(api, "running"))
                    .as("a refused pause leaves the sandbox running")
                    .isEqualTo(RACERS - ALLOWED);
            assertNoReservationLeft(database);
        }
    }

    @OnBothDatabases
    void concurrentSnapshotsAtTheTemplateLimitPassExactlyTheQuota(Database database) throws Exception {
        GatedAgent agent = new GatedAgent();
        try (SandboxFixture api = SandboxFixture.start(database, agent, Config.DEFAULT_MAX_UPLOAD_BYTES)) {
            List<String> ids = bobsSandboxes(api);
            setBobsQuota(api, database, "{\"templates\":" + ALLOWED + "}");

            List<Reply> answers = race(
                    agent,
                    i -> api.server.post(
                            "/v1/snapshots",
                            "{\"sandbox_id\":\"" + ids.get(i) + "\",\"name\":\"race-" + i + "\"}",
                            api.bobByToken()));

            assertExactlyTheQuotaPassed(answers, 201);
            assertThat(agent.snapshots).hasSize(ALLOWED);
            int templates = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM templates WHERE team_id = :team")
                            .bind("team", api.bob.get("team_id").asText())
                            .mapTo(Integer.class)
                            .one());
            assertThat(templates).isEqualTo(ALLOWED);
            assertNoReservationLeft(database);
        }
    }

    private static List<String> bobsSandboxes(SandboxFixture api) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            Reply created = api.server.post("/v1/sandboxes", "{}", api.bobByToken());
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            ids.add(created.json().get("id").asText());
        }
        return ids;
    }

    private static void setBobsQuota(SandboxFixture api, Database database, String quota) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("UPDATE users SET is_admin = TRUE WHERE email = 'ada@example.com'")
                        .execute());
        Reply set = api.server.send(
                "PUT", "/v1/admin/teams/" + api.bob.get("team_id").asText() + "/quotas", quota, api.adaByToken());
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    private static void assertExactlyTheQuotaPassed(List<Reply> answers, int success) {
        assertThat(answers.stream().filter(a -> a.status() == success).count())
                .as("answers: %s", answers.stream().map(Reply::status).toList())
                .isEqualTo(ALLOWED);
        assertThat(answers.stream().filter(a -> a.status() == 429).count()).isEqualTo(RACERS - ALLOWED);
        assertThat(answers.stream().filter(a -> a.status() == 429).map(Reply::errorCode))
                .containsOnly("quota_exceeded");
    }

    private static long statusCount(SandboxFixture api, String status) {
        List<String> statuses = new ArrayList<>();
        api.server
                .get("/v1/sandboxes", api.bobByToken())
                .json()
                .forEach(s -> statuses.add(s.get("status").asText()));
        return statuses.stream().filter(status::equals).count();
    }

    private static void assertNoReservationLeft(Database database) {
        int left = database.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM quota_reservations")
                        .mapTo(Integer.class)
                        .one());
        assertThat(left)
                .as("every finished or refused operation gives its reservation back")
                .isZero();
    }

    /** Releases all racers at once; holds the host calls until every racer reached the host or was answered. */
    private static List<Reply> race(GatedAgent agent, IntFunction<Reply> call) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        agent.arrived.set(0);
        agent.gate = gate;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(RACERS)) {
            for (int i = 0; i < RACERS; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            // Bounded so that a broken build fails on the assertions below instead of hanging.
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (agent.arrived.get() + futures.stream().filter(Future::isDone).count() < RACERS
                    && System.nanoTime() < giveUp) {
                Thread.sleep(10);
            }
            agent.gate = null;
            gate.countDown();
            List<Reply> answers = new ArrayList<>();
            for (Future<Reply> future : futures) {
                answers.add(future.get());
            }
            return answers;
        }
    }

    /** The in-memory host agent, whose pause, resume and snapshot wait at the gate while one is set. */
    static final class GatedAgent extends InMemoryHostAgent {
        final AtomicInteger arrived = new AtomicInteger();
        volatile CountDownLatch gate;

        private void passGate() {
            CountDownLatch current = gate;
            if (current == null) {
                return;
            }
            arrived.incrementAndGet();
            try {
                current.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void pauseSandbox(String sandboxId) {
            passGate();
            super.pauseSandbox(sandboxId);
        }

        @Override
        public ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec) {
            passGate();
            return super.resumeSandbox(sandboxId, timeoutSec);
        }

        @Override
        public CreateSnapshotResponse createSnapshot(String sandboxId, String name, boolean replace) {
            passGate();
            return super.createSnapshot(sandboxId, name, replace);
        }
    }
}
