package dev.wrenn.control.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;

/**
 * Issue 12 item 8: creates racing at a team's quota cannot together exceed it. Many creates are released at once
 * against a quota of a few running sandboxes; exactly that many succeed, the rest are 429 and left nothing behind.
 */
@Tag("security")
class QuotaRaceSecurityTest {
    private static final int ALLOWED = 3;
    private static final int RACERS = 16;

    @OnBothDatabases
    void concurrentCreatesAtTheLimitPassExactlyTheQuota(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            database.jdbi()
                    .useHandle(h -> h.createUpdate("UPDATE users SET is_admin = TRUE WHERE email = 'ada@example.com'")
                            .execute());
            String bobsTeam = api.bob.get("team_id").asText();
            Reply set = api.server.send(
                    "PUT",
                    "/v1/admin/teams/" + bobsTeam + "/quotas",
                    "{\"running\":" + ALLOWED + "}",
                    api.adaByToken());
            assertThat(set.status()).as(set.body()).isEqualTo(200);

            List<Reply> answers = raceCreates(api, new String[] {"/v1/sandboxes", "/v2/sandboxes"});

            assertThat(answers.stream().map(Reply::status).filter(s -> s == 201).count())
                    .isEqualTo(ALLOWED);
            assertThat(answers.stream().map(Reply::status).filter(s -> s == 429).count())
                    .isEqualTo(RACERS - ALLOWED);
            assertThat(api.server.get("/v1/sandboxes", api.bobByToken()).json()).hasSize(ALLOWED);
            int rows = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sandboxes WHERE team_id = :team")
                            .bind("team", bobsTeam)
                            .mapTo(Integer.class)
                            .one());
            assertThat(rows).as("a refused create leaves no row").isEqualTo(ALLOWED);
        }
    }

    /** Half through /v1, half through E2B's route, all released by one latch. */
    private static List<Reply> raceCreates(SandboxFixture api, String[] paths) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(RACERS)) {
            for (int i = 0; i < RACERS; i++) {
                String path = paths[i % paths.length];
                String body = path.startsWith("/v2") ? "{\"templateID\":\"base\"}" : "{}";
                futures.add(pool.submit(() -> {
                    start.await();
                    return api.server.post(path, body, api.bobByToken());
                }));
            }
            start.countDown();
            List<Reply> answers = new ArrayList<>();
            for (Future<Reply> future : futures) {
                answers.add(future.get());
            }
            return answers;
        }
    }
}
