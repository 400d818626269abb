package dev.wrenn.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.testing.RealSnapshotHost;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.DeleteSnapshotRequest;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.PauseSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.PingSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PauseSandbox, ResumeSandbox, CreateSnapshot, DeleteSnapshot and ListSandboxes over one real sandbox. */
class SnapshotRpcTest {
    private final EnvdClients guests = new EnvdClients();
    private DataDir dataDir;
    private SandboxManager manager;
    private Server server;
    private ManagedChannel channel;
    private HostAgentServiceGrpc.HostAgentServiceBlockingStub agent;

    @BeforeEach
    void start() throws Exception {
        dataDir = RealSnapshotHost.dataDir();
        RealSnapshotHost.sweep(dataDir);
        RealSnapshotHost.deleteSnapshots(dataDir);
        manager = RealSnapshotHost.manager(dataDir, guests);
        manager.deleteSnapshot("tpl-rpc");
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .addService(new HostAgentGrpcService(manager, guests))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
        agent = HostAgentServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        for (var sandbox : manager.list()) {
            manager.destroy(sandbox.sandboxId());
        }
        manager.deleteSnapshot("tpl-rpc");
        manager.close();
        RealSnapshotHost.sweep(dataDir);
        guests.close();
    }

    @Test
    void aPausedSandboxIsListedWithoutAddressBecomesATemplateAndResumesBehindAnAddress() {
        String id = agent.createSandbox(CreateSandboxRequest.newBuilder()
                        .setSandboxId("sb-rpc00001")
                        .setTimeoutSec(600)
                        .build())
                .getSandboxId();

        agent.pauseSandbox(PauseSandboxRequest.newBuilder().setSandboxId(id).build());

        SandboxInfo listed =
                agent.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxes(0);
        assertThat(listed.getStatus()).isEqualTo(SandboxStatus.SANDBOX_STATUS_PAUSED);
        assertThat(listed.getHostIp()).isEmpty();
        assertThat(listed.getTimeoutSec()).isEqualTo(600);
        assertThat(statusOf(() -> agent.pauseSandbox(
                        PauseSandboxRequest.newBuilder().setSandboxId(id).build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(statusOf(() -> agent.pingSandbox(
                        PingSandboxRequest.newBuilder().setSandboxId(id).build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);

        CreateSnapshotResponse template = agent.createSnapshot(CreateSnapshotRequest.newBuilder()
                .setSandboxId(id)
                .setName("tpl-rpc")
                .build());
        assertThat(template.getName()).isEqualTo("tpl-rpc");
        assertThat(template.getSizeBytes()).isPositive();
        assertThat(statusOf(() -> agent.createSnapshot(CreateSnapshotRequest.newBuilder()
                        .setSandboxId(id)
                        .setName("base")
                        .build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        agent.deleteSnapshot(
                DeleteSnapshotRequest.newBuilder().setName("tpl-rpc").build());

        ResumeSandboxResponse resumed = agent.resumeSandbox(
                ResumeSandboxRequest.newBuilder().setSandboxId(id).build());
        assertThat(resumed.getStatus()).isEqualTo(SandboxStatus.SANDBOX_STATUS_RUNNING);
        assertThat(resumed.getHostIp()).startsWith("10.11.");
        agent.pingSandbox(PingSandboxRequest.newBuilder().setSandboxId(id).build());
        assertThat(agent.listSandboxes(ListSandboxesRequest.getDefaultInstance())
                        .getSandboxes(0)
                        .getTimeoutSec())
                .isEqualTo(600);
        agent.destroySandbox(DestroySandboxRequest.newBuilder().setSandboxId(id).build());
        assertThat(agent.listSandboxes(ListSandboxesRequest.getDefaultInstance())
                        .getSandboxesList())
                .isEmpty();
    }

    @Test
    void pauseAndResumeOfAnUnknownSandboxAreNotFound() {
        assertThat(statusOf(() -> agent.pauseSandbox(PauseSandboxRequest.newBuilder()
                        .setSandboxId("sb-nothere")
                        .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(statusOf(() -> agent.resumeSandbox(ResumeSandboxRequest.newBuilder()
                        .setSandboxId("sb-nothere")
                        .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(statusOf(() -> agent.createSnapshot(CreateSnapshotRequest.newBuilder()
                        .setSandboxId("sb-nothere")
                        .setName("x")
                        .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    /** The status code the call fails with; OK if it does not fail. */
    private static Status.Code statusOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
