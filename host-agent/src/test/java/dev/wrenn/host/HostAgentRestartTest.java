package dev.wrenn.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.testing.AgentProcess;
import dev.wrenn.host.testing.Leftovers;
import dev.wrenn.host.testing.RealImage;
import dev.wrenn.host.testing.RealSandboxes;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host agent as a process: stopped by SIGTERM it removes its sandboxes; killed (SIGKILL) with a sandbox running
 * or half-created, the next agent's start sweep reclaims everything. A restarted agent does not adopt the VMs of
 * the one before (decided: the control plane's reconciler sees them gone).
 */
class HostAgentRestartTest {
    @TempDir
    Path logs;

    private DataDir dataDir;

    @BeforeEach
    void setUp() {
        dataDir = RealImage.dataDir();
        RealSandboxes.sweep(dataDir);
    }

    @AfterEach
    void tearDown() {
        RealSandboxes.sweep(dataDir);
    }

    @Test
    void sigtermDestroysEverySandboxBeforeTheAgentExits() throws Exception {
        try (AgentProcess agent = AgentProcess.start(logs.resolve("agent.log"))) {
            CreateSandboxResponse created = agent.stub().createSandbox(request("sb-term0001"));
            assertThat(created.getStatus()).isEqualTo(SandboxStatus.SANDBOX_STATUS_RUNNING);

            int status = agent.terminate();

            assertThat(status)
                    .as("killed by SIGTERM after running its shutdown")
                    .isEqualTo(143);
            assertThat(agent.log()).contains("host agent stopping: destroying 1 sandboxes", "host agent stopped");
        }
        Leftovers.assertNone(dataDir, RealImage.SLOTS);
    }

    @Test
    void aRestartedAgentReclaimsTheRunningSandboxOfTheKilledOne() throws Exception {
        try (AgentProcess first = AgentProcess.start(logs.resolve("first.log"))) {
            first.stub().createSandbox(request("sb-kill0001"));
            first.kill();
        }
        assertThat(Leftovers.qemusOf(dataDir))
                .as("the VM outlives its killed agent")
                .hasSize(1);

        try (AgentProcess second = AgentProcess.start(logs.resolve("second.log"))) {
            assertThat(second.log()).contains("start sweep: reclaimed 1 QEMU processes", "sb-kill0001");
            assertThat(second.stub()
                            .listSandboxes(ListSandboxesRequest.getDefaultInstance())
                            .getSandboxesCount())
                    .isZero();
            Leftovers.assertNone(dataDir, RealImage.SLOTS);
        }
    }

    @Test
    void anAgentKilledInTheMiddleOfACreateLeavesNothingAfterTheNextStart() throws Exception {
        Slot slot = new Slot(RealImage.SLOTS.first());
        try (AgentProcess first = AgentProcess.start(logs.resolve("first.log"))) {
            ListenableFuture<CreateSandboxResponse> pending = first.futureStub().createSandbox(request("sb-half0001"));
            // Network and disk are made and QEMU is restoring or booting: the create has not answered yet. (Its own
            // directory, not just any QEMU: the first create of an image version boots a base template VM first.)
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(dataDir.sandbox("sb-half0001"))
                            && !Leftovers.qemusOf(dataDir).isEmpty());
            assertThat(pending.isDone()).isFalse();
            first.kill();
        }
        assertThat(new Ip().listNetns()).contains(slot.netns());
        assertThat(Files.list(dataDir.sandboxes())).isNotEmpty();

        try (AgentProcess second = AgentProcess.start(logs.resolve("second.log"))) {
            assertThat(second.log()).contains("start sweep: reclaimed", slot.netns(), "sb-half0001");
            Leftovers.assertNone(dataDir, RealImage.SLOTS);
        }
    }

    private static CreateSandboxRequest request(String id) {
        return CreateSandboxRequest.newBuilder()
                .setSandboxId(id)
                .setMemoryMb(256)
                .build();
    }
}
