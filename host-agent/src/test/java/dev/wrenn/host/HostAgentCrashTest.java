package dev.wrenn.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.snapshot.Pauser;
import dev.wrenn.host.snapshot.Resumer;
import dev.wrenn.host.snapshot.SnapshotStore;
import dev.wrenn.host.snapshot.TemplateMaker;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.host.testing.AgentProcess;
import dev.wrenn.host.testing.Leftovers;
import dev.wrenn.host.testing.RealImage;
import dev.wrenn.host.testing.RealSandboxes;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.DeleteSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc.HostAgentServiceBlockingStub;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.ListSnapshotsRequest;
import dev.wrenn.protocol.hostagent.v1.PauseSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import dev.wrenn.protocol.hostagent.v1.SnapshotInfo;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real host agent, in a child JVM, halted ({@code Runtime.halt(137)}: no shutdown hook, no cleanup, as after
 * {@code kill -9}) at a named point inside a create, pause, resume, template make, template overwrite or destroy
 * (of a running or a paused sandbox); then a new agent
 * starts on the same data directory. A paused sandbox or template that existed before the operation, or that the
 * operation had committed, is still listed with its disk and memory unchanged (a file on disk and one in /dev/shm,
 * hashed before) and resumes or clones; nothing else is left. The default run covers one point of each operation; all
 * of them: {@code -Dwrenn.crash.matrix=full}, or those of some operations: {@code -Dwrenn.crash.matrix=create,destroy}
 * (every point boots a few VMs under TCG: about 20 s each).
 */
class HostAgentCrashTest {
    private static final String ID = "sb-crash001";
    private static final String TEMPLATE = "tpl-crash";
    private static final String WRITE = "head -c 1M /dev/urandom > /dev/shm/blob && cp /dev/shm/blob /home/user/blob"
            + " && sha256sum /dev/shm/blob /home/user/blob | cut -c1-64";
    private static final String READ = "sha256sum /dev/shm/blob /home/user/blob | cut -c1-64";
    /** A shape no other test uses, so its first create builds a base template under the crash point. */
    private static final int BUILD_MEMORY_MB = 320;

    @TempDir
    Path logs;

    private DataDir dataDir;

    /** {@code paused}: the sandbox is still paused afterwards; {@code template}: the template exists afterwards. */
    record Case(String operation, String point, boolean paused, boolean template, boolean inDefaultRun) {
        @Override
        public String toString() {
            return operation + " halted at " + point;
        }
    }

    static Stream<Case> cases() {
        List<Case> all = List.of(
                new Case("pause", Pauser.CRASH_STARTED, false, false, false),
                new Case("pause", Pauser.CRASH_STATE_SAVED, false, false, false),
                new Case("pause", Pauser.CRASH_FILES_LINKED, false, false, false),
                new Case("pause", Pauser.CRASH_COMMITTED, true, false, true),
                new Case("resume", Resumer.CRASH_FILES_LINKED, true, false, false),
                new Case("resume", Resumer.CRASH_STATE_LOADED, true, false, true),
                new Case("resume", Resumer.CRASH_RUNNING, false, false, false),
                new Case("template", TemplateMaker.CRASH_COPIED, true, false, false),
                new Case("template", TemplateMaker.CRASH_STAGED, true, false, true),
                new Case("template", TemplateMaker.CRASH_PUBLISHED, true, true, false),
                new Case("overwrite", TemplateMaker.CRASH_STAGED, true, true, false),
                new Case("overwrite", TemplateMaker.CRASH_EXCHANGED, true, true, true),
                new Case("create", SandboxManager.CRASH_CREATE_VM_STARTED, false, false, false),
                new Case("destroy", SandboxManager.CRASH_DESTROY_VM_STOPPED, false, false, false),
                new Case("destroy-paused", SandboxManager.CRASH_DESTROY_VM_STOPPED, true, false, false),
                new Case("destroy-paused", SnapshotStore.CRASH_DELETE_RENAMED, false, false, false),
                // The base template a shape's first create builds: a boot, a pause, a promotion to a template.
                new Case("build", Pauser.CRASH_COMMITTED, false, false, false),
                new Case("build", TemplateMaker.CRASH_PUBLISHED, false, true, false));
        // "full": every case; a comma list of operations ("create,destroy"): those; unset: the default run.
        String matrix = System.getProperty("wrenn.crash.matrix", "");
        List<String> operations = List.of(matrix.split(","));
        return all.stream()
                .filter(c -> matrix.equals("full")
                        || matrix.equals("all")
                        || operations.contains(c.operation())
                        || (matrix.isBlank() && c.inDefaultRun()));
    }

    @BeforeAll
    static void baseTemplateExists(@TempDir Path warmUpLogs) throws Exception {
        // The first create of an image version builds its base template (a boot and a pause): done here, unarmed, so
        // that the armed agents below halt in the operation under test and not in that build.
        DataDir dataDir = RealImage.dataDir();
        RealSandboxes.sweep(dataDir);
        try (AgentProcess agent = AgentProcess.start(warmUpLogs.resolve("warm-up.log"))) {
            agent.stub().createSandbox(request("sb-crashwarm"));
            agent.stub()
                    .destroySandbox(DestroySandboxRequest.newBuilder()
                            .setSandboxId("sb-crashwarm")
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
            agent.stub()
                    .destroySandbox(DestroySandboxRequest.newBuilder()
                            .setSandboxId("sb-crashclone")
                            .build());
            agent.stub()
                    .deleteSnapshot(
                            DeleteSnapshotRequest.newBuilder().setName(TEMPLATE).build());
        }
        for (Path base : baseTemplates()) {
            try (Stream<Path> files = java.nio.file.Files.walk(base)) {
                for (Path file :
                        files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(file);
                }
            }
        }
        try {
            // The stopped agent destroyed its running sandboxes; what the operation made is gone with them.
            Leftovers.assertNone(dataDir, RealImage.SLOTS);
            assertThat(dataDir.root().resolve("snapshots"))
                    .isDirectoryNotContaining(p -> p.getFileName().toString().matches("\\..*|" + ID));
            assertThat(dataDir.root().resolve("templates"))
                    .isDirectoryNotContaining(p -> p.getFileName().toString().matches("\\..*|" + TEMPLATE));
        } finally {
            RealSandboxes.sweep(dataDir);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anAgentHaltedMidOperationLosesNoCommittedSnapshotOrTemplate(Case c) throws Exception {
        String hashes = c.operation().equals("overwrite") ? pausedWithTemplate() : null;
        try (AgentProcess armed =
                AgentProcess.start(logs.resolve("armed.log"), List.of("-D" + CrashPoints.PROPERTY + "=" + c.point()))) {
            if (hashes == null
                    && !c.operation().equals("create")
                    && !c.operation().equals("build")) {
                armed.stub().createSandbox(request(ID));
                hashes = exec(armed.stub(), WRITE);
            }
            String expected = hashes;
            assertThatThrownBy(() -> operate(armed.stub(), c.operation()))
                    .as("the call dies with its agent")
                    .isInstanceOf(StatusRuntimeException.class);
            assertThat(armed.awaitExit()).as("halted at " + c.point()).isEqualTo(137);
            assertThat(armed.log()).contains("crash point " + c.point() + " reached");
        }

        try (AgentProcess restarted = AgentProcess.start(logs.resolve("restarted.log"))) {
            HostAgentServiceBlockingStub stub = restarted.stub();
            checkSandbox(stub, c.paused(), hashes);
            if (c.operation().equals("build")) {
                checkBaseTemplate(stub, c.template());
            } else {
                checkTemplate(stub, c.template(), hashes);
            }
        }
    }

    /** For an overwrite: the sandbox paused and a first template of it, made by an agent that is not armed. */
    private String pausedWithTemplate() throws Exception {
        try (AgentProcess setup = AgentProcess.start(logs.resolve("setup.log"))) {
            setup.stub().createSandbox(request(ID));
            String hashes = exec(setup.stub(), WRITE);
            setup.stub().createSnapshot(snapshot(false));
            return hashes;
        }
    }

    private static void operate(HostAgentServiceBlockingStub stub, String operation) {
        switch (operation) {
            case "pause" -> stub.pauseSandbox(pause());
            case "resume" -> {
                stub.pauseSandbox(pause());
                stub.resumeSandbox(
                        ResumeSandboxRequest.newBuilder().setSandboxId(ID).build());
            }
            case "template" -> stub.createSnapshot(snapshot(false));
            case "overwrite" -> stub.createSnapshot(snapshot(true));
            case "create" -> stub.createSandbox(request(ID));
            case "build" ->
                stub.createSandbox(
                        request(ID).toBuilder().setMemoryMb(BUILD_MEMORY_MB).build());
            case "destroy" -> destroy(stub);
            case "destroy-paused" -> {
                stub.pauseSandbox(pause());
                destroy(stub);
            }
            default -> throw new IllegalArgumentException(operation);
        }
    }

    private static void destroy(HostAgentServiceBlockingStub stub) {
        stub.destroySandbox(DestroySandboxRequest.newBuilder().setSandboxId(ID).build());
    }

    private void checkSandbox(HostAgentServiceBlockingStub stub, boolean paused, String hashes) {
        Optional<SandboxInfo> listed =
                stub.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList().stream()
                        .filter(s -> s.getSandboxId().equals(ID))
                        .findFirst();
        if (!paused) {
            assertThat(listed.map(SandboxInfo::getStatus))
                    .as("a sandbox whose VM was running is reclaimed: gone or FAILED with the reason")
                    .isIn(Optional.empty(), Optional.of(SandboxStatus.SANDBOX_STATUS_FAILED));
            assertThat(dataDir.root().resolve("snapshots/" + ID)).doesNotExist();
            return;
        }
        assertThat(listed.map(SandboxInfo::getStatus)).contains(SandboxStatus.SANDBOX_STATUS_PAUSED);
        stub.resumeSandbox(ResumeSandboxRequest.newBuilder().setSandboxId(ID).build());
        assertThat(exec(stub, READ)).as("disk and memory after the restart").isEqualTo(hashes);
    }

    /**
     * After a crash inside a base template's build: the template is there whole (a create of that shape clones it) or
     * not at all (the create builds it again); its unfinished pieces are gone either way.
     */
    private void checkBaseTemplate(HostAgentServiceBlockingStub stub, boolean exists) throws Exception {
        assertThat(baseTemplates())
                .as("base templates of %d MiB", BUILD_MEMORY_MB)
                .hasSize(exists ? 1 : 0);
        assertThat(dataDir.root().resolve("snapshots"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("_base-"));
        stub.createSandbox(request("sb-crashclone").toBuilder()
                .setMemoryMb(BUILD_MEMORY_MB)
                .build());
        assertThat(exec(stub, "echo built", "sb-crashclone")).isEqualTo("built");
        assertThat(baseTemplates()).hasSize(1);
    }

    /** This test's own base-template shape, deleted after each case so the next one builds it again. */
    private List<Path> baseTemplates() throws java.io.IOException {
        try (Stream<Path> templates = java.nio.file.Files.list(dataDir.root().resolve("templates"))) {
            return templates
                    .filter(p -> p.getFileName().toString().matches("_base-.*-\\d+c" + BUILD_MEMORY_MB + "m"))
                    .toList();
        }
    }

    private void checkTemplate(HostAgentServiceBlockingStub stub, boolean exists, String hashes) {
        List<String> names = stub.listSnapshots(ListSnapshotsRequest.getDefaultInstance()).getSnapshotsList().stream()
                .map(SnapshotInfo::getName)
                .toList();
        if (!exists) {
            assertThat(names).doesNotContain(TEMPLATE);
            assertThat(dataDir.root().resolve("templates"))
                    .isDirectoryNotContaining(p -> p.getFileName().toString().contains(TEMPLATE));
            return;
        }
        assertThat(names).contains(TEMPLATE);
        stub.createSandbox(
                request("sb-crashclone").toBuilder().setTemplate(TEMPLATE).build());
        assertThat(exec(stub, READ, "sb-crashclone"))
                .as("a clone of the template sees its disk and memory")
                .isEqualTo(hashes);
        assertThat(dataDir.root().resolve("templates"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("."));
    }

    private static String exec(HostAgentServiceBlockingStub stub, String script) {
        return exec(stub, script, ID);
    }

    private static String exec(HostAgentServiceBlockingStub stub, String script, String sandboxId) {
        ExecResponse response = stub.exec(ExecRequest.newBuilder()
                .setSandboxId(sandboxId)
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

    private static PauseSandboxRequest pause() {
        return PauseSandboxRequest.newBuilder().setSandboxId(ID).build();
    }

    private static CreateSnapshotRequest snapshot(boolean replace) {
        return CreateSnapshotRequest.newBuilder()
                .setSandboxId(ID)
                .setName(TEMPLATE)
                .setReplace(replace)
                .build();
    }
}
