package dev.wrenn.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.snapshot.Pauser;
import dev.wrenn.host.snapshot.Resumer;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.host.testing.AgentProcess;
import dev.wrenn.host.testing.Leftovers;
import dev.wrenn.host.testing.RealImage;
import dev.wrenn.host.testing.RealSandboxes;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.GetSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc.HostAgentServiceBlockingStub;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.ListSnapshotsRequest;
import dev.wrenn.protocol.hostagent.v1.PauseSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import dev.wrenn.protocol.hostagent.v1.SnapshotInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * QEMU killed (SIGKILL of its pid) in the middle of a pause, a template snapshot of a running sandbox, and a resume,
 * with the real host agent in a child JVM held at a named point ({@code wrenn.test.holdAt}) while the test kills the
 * VM's process. A pause or snapshot whose VM dies leaves no snapshot or template, reports the sandbox FAILED with the
 * reason (E2B's "killed": the control plane turns it into an error and its E2B routes answer 404) and releases its
 * slot, namespace and files at once; a resume whose VM dies leaves the sandbox paused, its snapshot whole (the same
 * disk and memory hashes on the next resume). A QEMU killed under a running sandbox is
 * {@code RealSandboxLifecycleTest}'s case, and through a real control plane {@code ControlPlaneKillTest}'s.
 */
@Tag("crash")
class QemuKillTest {
    private static final String ID = "sb-qemukill1";
    private static final String TEMPLATE = "tpl-qemukill";
    private static final String WRITE = "head -c 1M /dev/urandom > /dev/shm/blob && cp /dev/shm/blob /home/user/blob"
            + " && sha256sum /dev/shm/blob /home/user/blob | cut -c1-64";
    private static final String READ = "sha256sum /dev/shm/blob /home/user/blob | cut -c1-64";

    @TempDir
    Path logs;

    private DataDir dataDir;

    record Case(String operation, String holdPoint) {
        @Override
        public String toString() {
            return "QEMU killed during " + operation + " (at " + holdPoint + ")";
        }
    }

    /**
     * Every case by default; {@code -Dwrenn.crash.matrix=create,pause} (the CI tier's short matrix) those of the
     * operations named, and the pause case when none of its operations is named (so a short matrix always kills a
     * QEMU at least once).
     */
    static Stream<Case> cases() {
        List<Case> all = List.of(
                new Case("pause", Pauser.CRASH_STARTED),
                new Case("snapshot", Pauser.CRASH_STARTED),
                new Case("resume", Resumer.CRASH_STATE_LOADED));
        String matrix = System.getProperty("wrenn.crash.matrix", "");
        if (matrix.isBlank() || matrix.equals("full") || matrix.equals("all")) {
            return all.stream();
        }
        List<String> operations = List.of(matrix.split(","));
        List<Case> chosen =
                all.stream().filter(c -> operations.contains(c.operation())).toList();
        return chosen.isEmpty() ? Stream.of(all.getFirst()) : chosen.stream();
    }

    @BeforeAll
    static void baseTemplateExists(@TempDir Path warmUpLogs) throws Exception {
        DataDir dataDir = RealImage.dataDir();
        RealSandboxes.sweep(dataDir);
        try (AgentProcess agent = AgentProcess.start(warmUpLogs.resolve("warm-up.log"))) {
            agent.stub().createSandbox(request("sb-qemuwarm"));
            agent.stub()
                    .destroySandbox(DestroySandboxRequest.newBuilder()
                            .setSandboxId("sb-qemuwarm")
                            .build());
        }
    }

    @BeforeEach
    void setUp() {
        dataDir = RealImage.dataDir();
        RealSandboxes.sweep(dataDir);
    }

    @AfterEach
    void tearDown() throws Exception {
        try (AgentProcess agent = AgentProcess.start(logs.resolve("cleanup.log"))) {
            agent.stub()
                    .destroySandbox(
                            DestroySandboxRequest.newBuilder().setSandboxId(ID).build());
        }
        try {
            Leftovers.assertNone(dataDir, RealImage.SLOTS);
            assertNoSnapshots();
        } finally {
            RealSandboxes.sweep(dataDir);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aKilledQemuLeavesTheOldStateOrAFailedSandboxAndNothingElse(Case c) throws Exception {
        Path release = logs.resolve("release");
        List<String> hold = List.of(
                "-D" + CrashPoints.HOLD_PROPERTY + "=" + c.holdPoint(),
                "-D" + CrashPoints.RELEASE_PROPERTY + "=" + release);
        try (AgentProcess agent = AgentProcess.start(logs.resolve("agent.log"), hold)) {
            HostAgentServiceBlockingStub stub = agent.stub();
            stub.createSandbox(request(ID));
            String hashes = exec(stub, WRITE);
            if (c.operation().equals("resume")) {
                stub.pauseSandbox(
                        PauseSandboxRequest.newBuilder().setSandboxId(ID).build());
            }
            ListenableFuture<?> inFlight = switch (c.operation()) {
                case "pause" ->
                    agent.futureStub()
                            .pauseSandbox(PauseSandboxRequest.newBuilder()
                                    .setSandboxId(ID)
                                    .build());
                case "snapshot" ->
                    agent.futureStub()
                            .createSnapshot(CreateSnapshotRequest.newBuilder()
                                    .setSandboxId(ID)
                                    .setName(TEMPLATE)
                                    .build());
                case "resume" ->
                    agent.futureStub()
                            .resumeSandbox(ResumeSandboxRequest.newBuilder()
                                    .setSandboxId(ID)
                                    .build());
                default -> throw new IllegalArgumentException(c.operation());
            };
            awaitLog(agent, "hold point " + c.holdPoint() + " reached");
            List<ProcessHandle> qemus = Leftovers.qemusOf(dataDir).stream()
                    .filter(p ->
                            p.info().arguments().map(List::of).orElse(List.of()).contains("wrenn-" + ID))
                    .toList();
            assertThat(qemus).as("the sandbox's QEMU").hasSize(1);
            qemus.getFirst().destroyForcibly();
            assertThat(qemus.getFirst().onExit().get(30, TimeUnit.SECONDS).isAlive())
                    .isFalse();
            Files.writeString(release, "go");

            assertThat(failure(inFlight))
                    .as("the call fails: its VM was killed")
                    .isNotNull();
            Optional<SandboxInfo> listed = listed(stub);
            if (c.operation().equals("resume")) {
                assertThat(listed.map(SandboxInfo::getStatus)).contains(SandboxStatus.SANDBOX_STATUS_PAUSED);
                stub.resumeSandbox(
                        ResumeSandboxRequest.newBuilder().setSandboxId(ID).build());
                assertThat(exec(stub, READ))
                        .as("disk and memory after the failed resume")
                        .isEqualTo(hashes);
                return;
            }
            assertThat(listed.map(SandboxInfo::getStatus))
                    .as("a sandbox whose VM died mid-%s", c.operation())
                    .isIn(Optional.empty(), Optional.of(SandboxStatus.SANDBOX_STATUS_FAILED));
            if (listed.isPresent()) {
                SandboxInfo info = stub.getSandbox(
                        GetSandboxRequest.newBuilder().setSandboxId(ID).build());
                assertThat(info.getStopReason()).as("the reason").isNotBlank();
            }
            assertThat(stub.listSnapshots(ListSnapshotsRequest.getDefaultInstance()).getSnapshotsList().stream()
                            .map(SnapshotInfo::getName))
                    .doesNotContain(TEMPLATE);
            // Released at once, before anyone destroys the record: the slot, namespace, links, files.
            Leftovers.assertNone(dataDir, RealImage.SLOTS);
            assertNoSnapshots();
            assertThat(dataDir.root().resolve("templates"))
                    .isDirectoryNotContaining(p -> p.getFileName().toString().contains(TEMPLATE));
        }
    }

    private void assertNoSnapshots() {
        Path snapshots = dataDir.root().resolve("snapshots");
        if (Files.isDirectory(snapshots)) {
            assertThat(snapshots).isDirectoryNotContaining(p -> true);
        }
    }

    private static Throwable failure(ListenableFuture<?> call) throws InterruptedException {
        try {
            call.get(10, TimeUnit.MINUTES);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the call did not end within 10 minutes", e);
        }
    }

    private static Optional<SandboxInfo> listed(HostAgentServiceBlockingStub stub) {
        return stub.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList().stream()
                .filter(s -> s.getSandboxId().equals(ID))
                .findFirst();
    }

    private static void awaitLog(AgentProcess agent, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!agent.log().contains(text)) {
            assertThat(System.nanoTime()).as("`%s` in the agent's log", text).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String exec(HostAgentServiceBlockingStub stub, String script) {
        ExecResponse response = stub.exec(ExecRequest.newBuilder()
                .setSandboxId(ID)
                .setCmd("/bin/sh")
                .addArgs("-c")
                .addArgs(script)
                .setUser("root")
                .build());
        assertThat(response.getExitCode())
                .as("`%s`: %s", script, response.getStderr().toStringUtf8())
                .isZero();
        return response.getStdout().toStringUtf8().strip();
    }

    private static CreateSandboxRequest request(String id) {
        return CreateSandboxRequest.newBuilder()
                .setSandboxId(id)
                .setMemoryMb(256)
                .build();
    }
}
