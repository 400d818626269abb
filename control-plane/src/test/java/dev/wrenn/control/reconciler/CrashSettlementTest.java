package dev.wrenn.control.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a control plane that crashed or gave up in the middle of a call leaves behind, and how the reconciler settles
 * it against the host: the rows a crash leaves are written here directly, as the crashed process wrote them, and the
 * host's side is the in-memory agent's.
 */
class CrashSettlementTest {

    @OnBothDatabases
    void aPendingRowWhoseVmRunsIsAdoptedAndServes(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            Sandbox pending = pendingRowLeftByACrash(api, database);
            CreateSandboxResponse booted = api.agent.createSandbox(requestFor(pending));

            reconciler(api, database).reconcileOnce();

            assertThat(status(api, pending.id())).isEqualTo("running");
            assertThat(rows(database).findAnyTeam(pending.id()).orElseThrow().hostIp())
                    .isEqualTo(booted.getHostIp());
            assertThat(api.server
                            .post("/v1/sandboxes/" + pending.id() + "/exec", "{\"cmd\":\"echo\"}", api.adaByKey())
                            .status())
                    .isEqualTo(200);
        }
    }

    @OnBothDatabases
    void aPendingRowWithoutAVmBecomesAnErrorThatSaysWhy(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            Sandbox pending = pendingRowLeftByACrash(api, database);

            reconciler(api, database).reconcileOnce();

            assertThat(status(api, pending.id())).isEqualTo("error");
            assertThat(api.get(pending.id()).get("error").asText()).isEqualTo(Reconciliation.CREATE_LOST);
        }
    }

    @OnBothDatabases
    void aPendingRowWhoseVmIsStillBootingWaitsForIt(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            Sandbox pending = pendingRowLeftByACrash(api, database);
            api.agent.createSandbox(requestFor(pending));
            api.agent.vm(pending.id()).status = dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_STARTING;

            reconciler(api, database).reconcileOnce();
            assertThat(status(api, pending.id())).isEqualTo("pending");

            api.agent.vm(pending.id()).status = dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_RUNNING;
            reconciler(api, database).reconcileOnce();
            assertThat(status(api, pending.id())).isEqualTo("running");
        }
    }

    @OnBothDatabases
    void aPendingRowWhoseVmIsPausedOrDeadIsClearedOnBothSides(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            Sandbox pending = pendingRowLeftByACrash(api, database);
            api.agent.createSandbox(requestFor(pending));
            api.agent.vmDies(pending.id(), "QEMU exited with status 1");

            reconciler(api, database).reconcileOnce();

            assertThat(status(api, pending.id())).isEqualTo("error");
            assertThat(api.get(pending.id()).get("error").asText())
                    .isEqualTo(Reconciliation.CREATE_LEFT_VM + "stopped: QEMU exited with status 1");
            assertThat(api.agent.vms).doesNotContainKey(pending.id());
        }
    }

    @OnBothDatabases
    void aCreateStillInFlightIsLeftAloneAndFinishesRunning(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database);
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            api.agent.createGate = new CountDownLatch(1);
            Future<String> create = pool.submit(api::createRunningForAda);
            String id = awaitPendingRow(database);

            reconciler(api, database).reconcileOnce();
            assertThat(rows(database).findAnyTeam(id).orElseThrow().status()).isEqualTo(SandboxStatus.PENDING);

            api.agent.createGate.countDown();
            assertThat(create.get()).isEqualTo(id);
            assertThat(status(api, id)).isEqualTo("running");
        }
    }

    @OnBothDatabases
    void anE2bCreateWritesItsEndTimeWithThePendingRow(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database);
                ExecutorService pool = Executors.newSingleThreadExecutor()) {
            api.agent.createGate = new CountDownLatch(1);
            Future<?> create = pool.submit(() -> api.server.post("/v2/sandboxes", "{\"timeout\":60}", api.adaByKey()));
            String id = awaitPendingRow(database);

            // Killed here, the control plane would leave both rows: an adopted sandbox still ends on time.
            Long endAt = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT end_at FROM sandbox_lifecycle WHERE sandbox_id = :id")
                            .bind("id", id)
                            .mapTo(Long.class)
                            .findOne()
                            .orElse(null));
            assertThat(endAt).as("the lifecycle row of the pending sandbox").isNotNull();

            api.agent.createGate.countDown();
            create.get();
        }
    }

    @OnBothDatabases
    void aResumeTheHostFinishedAfterTheControlPlaneGaveUpIsAdopted(Database database) {
        InMemoryHostAgent agent = new InMemoryHostAgent() {
            @Override
            public ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec) {
                super.resumeSandbox(sandboxId, timeoutSec);
                throw new ApiException(ErrorCode.AGENT_ERROR, "ResumeSandbox: DEADLINE_EXCEEDED");
            }
        };
        try (SandboxFixture api = SandboxFixture.start(database, agent, 1 << 20)) {
            String id = api.createRunningForAda();
            api.server.post("/v1/sandboxes/" + id + "/pause", "", api.adaByKey());
            assertThat(api.server
                            .post("/v1/sandboxes/" + id + "/resume", "", api.adaByKey())
                            .status())
                    .isEqualTo(502);
            assertThat(status(api, id)).isEqualTo("paused");

            reconciler(api, database).reconcileOnce();

            assertThat(status(api, id)).isEqualTo("running");
            assertThat(rows(database).findAnyTeam(id).orElseThrow().hostIp()).isEqualTo(agent.vm(id).hostIp);
        }
    }

    @OnBothDatabases
    void aCreateThatFailedHereWhileTheHostFinishedItLosesItsVm(Database database) {
        InMemoryHostAgent agent = new InMemoryHostAgent() {
            @Override
            public CreateSandboxResponse createSandbox(CreateSandboxRequest request) {
                super.createSandbox(request);
                throw new ApiException(ErrorCode.AGENT_ERROR, "CreateSandbox: DEADLINE_EXCEEDED");
            }
        };
        try (SandboxFixture api = SandboxFixture.start(database, agent, 1 << 20)) {
            assertThat(api.server.post("/v1/sandboxes", "{}", api.adaByKey()).status())
                    .isEqualTo(502);
            String id = agent.vms.keySet().iterator().next();
            assertThat(status(api, id)).isEqualTo("error");

            reconciler(api, database).reconcileOnce();

            assertThat(agent.vms).doesNotContainKey(id);
            assertThat(agent.destroyed).contains(id);
            assertThat(status(api, id)).isEqualTo("error");
        }
    }

    @OnBothDatabases
    void aVmTheDatabaseDoesNotKnowIsDestroyedOnlyAfterTheGracePeriod(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
            Reconciler reconciler = new Reconciler(rows(database), api.agent, clock, SandboxService.DEFAULT_HOST)
                    .withStrayGrace(Duration.ofSeconds(60));
            String kept = api.createRunningForAda();
            api.agent.createSandbox(CreateSandboxRequest.newBuilder()
                    .setSandboxId("sb-0000dead")
                    .build());

            reconciler.reconcileOnce();
            clock.advance(Duration.ofSeconds(59));
            reconciler.reconcileOnce();
            assertThat(api.agent.vms).containsKey("sb-0000dead");

            clock.advance(Duration.ofSeconds(1));
            reconciler.reconcileOnce();
            assertThat(api.agent.vms).doesNotContainKey("sb-0000dead").containsKey(kept);
            assertThat(status(api, kept)).isEqualTo("running");
        }
    }

    @OnBothDatabases
    void snapshotFilesWithoutATemplateRowAreDeletedOnceOlderThanTheGracePeriod(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            assertThat(api.server
                            .post("/v1/snapshots", "{\"sandbox_id\":\"" + id + "\",\"name\":\"kept\"}", api.adaByKey())
                            .status())
                    .isEqualTo(201);
            String recorded = api.agent.snapshots.keySet().iterator().next();
            api.agent.snapshots.put("tpl-0ld0rfan", Map.of());
            api.agent.snapshotMadeAt.put("tpl-0ld0rfan", Instant.now().minus(Duration.ofMinutes(11)));
            api.agent.snapshots.put("tpl-young000", Map.of());
            api.agent.snapshotMadeAt.put("tpl-young000", Instant.now().minus(Duration.ofMinutes(9)));
            api.agent.snapshotMadeAt.put(recorded, Instant.now().minus(Duration.ofDays(1)));
            api.agent.snapshots.put("_base-1-1c512m", Map.of());

            reconciler(api, database)
                    .collectingTemplates(database, Duration.ofMinutes(10))
                    .reconcileOnce();

            assertThat(api.agent.snapshots.keySet())
                    .containsExactlyInAnyOrder(recorded, "tpl-young000", "_base-1-1c512m");
        }
    }

    /** A pending row as a control plane killed after its insert leaves it: no call of this process owns it. */
    private static Sandbox pendingRowLeftByACrash(SandboxFixture api, Database database) {
        Sandbox model = rows(database).findAnyTeam(api.createRunningForAda()).orElseThrow();
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Sandbox pending = new Sandbox(
                "sb-" + Long.toHexString(System.nanoTime() & 0xffffffffL | 0x10000000L),
                model.teamId(),
                SandboxService.DEFAULT_HOST,
                "base",
                SandboxStatus.PENDING,
                1,
                512,
                0,
                "",
                Map.of(),
                null,
                at,
                null,
                null,
                at);
        rows(database).insert(pending);
        return pending;
    }

    private static CreateSandboxRequest requestFor(Sandbox pending) {
        return CreateSandboxRequest.newBuilder()
                .setSandboxId(pending.id())
                .setTemplate(pending.template())
                .build();
    }

    private static String awaitPendingRow(Database database) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var ids = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT id FROM sandboxes WHERE status = 'pending'")
                            .mapTo(String.class)
                            .list());
            if (!ids.isEmpty()) {
                return ids.getFirst();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pending row appeared within 10 s");
    }

    private static SandboxRepository rows(Database database) {
        return new SandboxRepository(database);
    }

    private static Reconciler reconciler(SandboxFixture api, Database database) {
        return new Reconciler(rows(database), api.agent, Clock.systemUTC(), SandboxService.DEFAULT_HOST);
    }

    private static String status(SandboxFixture api, String id) {
        return api.get(id).get("status").asText();
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
