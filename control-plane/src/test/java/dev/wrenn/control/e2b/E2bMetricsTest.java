package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** E2B's metrics history: the sampler's rows, range queries, the many-sandbox latest view and the retention. */
class E2bMetricsTest {

    @OnBothDatabases
    void theSamplerRecordsEveryRunningSandboxAndARangeAnswersOnlyItsSamples(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = f.server
                    .post("/v2/sandboxes", "{}", f.adaByKey())
                    .json()
                    .get("sandboxID")
                    .asText();
            MetricsHistory history = new MetricsHistory(database);
            MetricsSampler sampler =
                    new MetricsSampler(new SandboxRepository(database), f.agent, history, Clock.systemUTC());
            assertThat(sampler.runOnce()).isEqualTo(1);

            // On a 5 s boundary: a range under an hour answers 5 s buckets, each at its start.
            Instant t0 = Instant.ofEpochSecond((Instant.now().getEpochSecond() - 600) / 5 * 5);
            for (int i = 0; i < 6; i++) {
                history.record(id, new MetricSample(t0.plusSeconds(5L * i), 1, i, 100 + i, 512, 3, 7, 9));
            }

            JsonNode all = metrics(f, id, "");
            assertThat(all.size()).as("the six old samples and the sampler's").isEqualTo(7);
            assertThat(all.get(0).get("timestampUnix").asLong()).isEqualTo(t0.getEpochSecond());
            assertThat(all.get(0).get("memCache").asLong()).isEqualTo(3);

            long from = t0.getEpochSecond() + 5;
            long to = t0.getEpochSecond() + 15;
            JsonNode some = metrics(f, id, "?start=" + from + "&end=" + to);
            assertThat(some.size()).isEqualTo(3);
            for (JsonNode m : some) {
                assertThat(m.get("timestampUnix").asLong()).isBetween(from, to);
            }
            assertThat(some.get(0).get("memUsed").asLong()).isEqualTo(101);

            Reply bad = f.server.get("/sandboxes/" + id + "/metrics?start=" + to + "&end=" + from, f.adaByKey());
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("code").asInt()).isEqualTo(400);
            assertThat(f.server
                            .get("/sandboxes/" + id + "/metrics?start=yesterday", f.adaByKey())
                            .status())
                    .isEqualTo(400);
        }
    }

    @OnBothDatabases
    void theLatestViewAnswersTheNewestSampleOfEachOfTheTeamsSandboxes(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String a = f.server
                    .post("/v2/sandboxes", "{}", f.adaByKey())
                    .json()
                    .get("sandboxID")
                    .asText();
            String b = f.server
                    .post("/v2/sandboxes", "{}", f.adaByKey())
                    .json()
                    .get("sandboxID")
                    .asText();
            MetricsHistory history = new MetricsHistory(database);
            Instant t0 = Instant.ofEpochSecond(Instant.now().getEpochSecond() - 60);
            history.record(a, new MetricSample(t0, 1, 1, 1, 512, 0, 0, 0));
            history.record(a, new MetricSample(t0.plusSeconds(5), 1, 2, 2, 512, 0, 0, 0));
            history.record(b, new MetricSample(t0, 1, 3, 3, 512, 0, 0, 0));

            Reply reply = f.server.get("/sandboxes/metrics?sandbox_ids=" + a + "," + b + ",nope", f.adaByKey());

            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode sandboxes = reply.json().get("sandboxes");
            assertThat(sandboxes.size()).isEqualTo(2);
            assertThat(sandboxes.get(a).get("memUsed").asLong()).isEqualTo(2);
            assertThat(sandboxes.get(a).get("timestampUnix").asLong()).isEqualTo(t0.getEpochSecond() + 5);
            assertThat(sandboxes.get(b).get("memUsed").asLong()).isEqualTo(3);

            assertThat(f.server
                            .get("/sandboxes/metrics?sandbox_ids=" + a, f.bobByToken())
                            .json()
                            .get("sandboxes")
                            .size())
                    .as("another team sees none of ada's")
                    .isZero();
            assertThat(f.server.get("/sandboxes/metrics", f.adaByKey()).status())
                    .isEqualTo(400);
        }
    }

    @OnBothDatabases
    void samplesOlderThanTheRetentionAreDeleted(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = f.server
                    .post("/v2/sandboxes", "{}", f.adaByKey())
                    .json()
                    .get("sandboxID")
                    .asText();
            MetricsHistory history = new MetricsHistory(database);
            Instant now = Instant.now();
            history.record(
                    id, new MetricSample(now.minus(MetricsHistory.RETENTION).minusSeconds(5), 1, 1, 1, 1, 0, 0, 0));
            history.record(id, new MetricSample(now.minusSeconds(5), 1, 1, 1, 1, 0, 0, 0));

            MetricsSampler sampler = new MetricsSampler(
                    new SandboxRepository(database), f.agent, history, Clock.fixed(now, ZoneOffset.UTC));
            sampler.runOnce();

            assertThat(history.between(id, Instant.EPOCH, now.plusSeconds(60))).hasSize(2);
            assertThat(history.between(id, now, now))
                    .as("stamped by the control plane's clock, not the guest's")
                    .hasSize(1);
        }
    }

    private static JsonNode metrics(SandboxFixture f, String id, String query) {
        Reply reply = f.server.get("/sandboxes/" + id + "/metrics" + query, f.adaByKey());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }
}
