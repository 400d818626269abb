package dev.wrenn.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.Sweeper;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.testing.GuestImages;
import dev.wrenn.host.testing.HostTier;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.DestroySandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.GetSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.PingSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC surface over a real manager booting the busybox test guest. */
class HostAgentGrpcServiceTest {
    @TempDir
    Path root;

    private DataDir dataDir;
    private SandboxManager manager;
    private Server server;
    private ManagedChannel channel;
    private HostAgentServiceGrpc.HostAgentServiceBlockingStub agent;

    @BeforeEach
    void start() throws Exception {
        HostTier.requireTools();
        dataDir = new DataDir(root);
        Files.createDirectories(dataDir.images());
        Files.copy(GuestImages.kernel(), dataDir.kernel());
        Files.copy(GuestImages.initramfs(), dataDir.initramfs());
        try (var base = new java.io.RandomAccessFile(dataDir.baseRootfs().toFile(), "rw")) {
            base.setLength(32L << 20); // the test guest never mounts its disk, but every template has one
        }
        var accel = new AccelProbe(dataDir.kernel(), root, AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
        long tscKhz = HostCpu.tscKhz();
        manager = new SandboxManager(
                dataDir,
                new SlotAllocator(),
                new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated()),
                new QemuImg(),
                spec -> new QemuMicrovm(spec, accel, tscKhz),
                new EnvdHealth(),
                Duration.ofSeconds(60));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .addService(new HostAgentGrpcService(manager))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
        agent = HostAgentServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
            server.shutdownNow();
        }
        if (manager != null) {
            manager.close();
            new Sweeper(dataDir, new Ip(), new Nft()).sweep();
        }
    }

    @Test
    void aSandboxCanBeCreatedInspectedPingedAndDestroyed() {
        CreateSandboxResponse created = agent.createSandbox(CreateSandboxRequest.newBuilder()
                .setSandboxId("sb-grpc0001")
                .setMemoryMb(256)
                .build());

        assertThat(created.getStatus()).isEqualTo(SandboxStatus.SANDBOX_STATUS_RUNNING);
        assertThat(created.getHostIp()).isEqualTo("10.11.0.1");
        var info = agent.getSandbox(
                GetSandboxRequest.newBuilder().setSandboxId("sb-grpc0001").build());
        assertThat(info.getTemplate()).isEqualTo("base");
        assertThat(info.getVcpus()).isEqualTo(1);
        assertThat(info.getMemoryMb()).isEqualTo(256);
        assertThat(agent.listSandboxes(ListSandboxesRequest.getDefaultInstance())
                        .getSandboxesList())
                .extracting(s -> s.getSandboxId())
                .containsExactly("sb-grpc0001");
        agent.pingSandbox(
                PingSandboxRequest.newBuilder().setSandboxId("sb-grpc0001").build());

        agent.destroySandbox(
                DestroySandboxRequest.newBuilder().setSandboxId("sb-grpc0001").build());

        assertThat(agent.listSandboxes(ListSandboxesRequest.getDefaultInstance())
                        .getSandboxesCount())
                .isZero();
        assertThatThrownBy(() -> agent.getSandbox(GetSandboxRequest.newBuilder()
                        .setSandboxId("sb-grpc0001")
                        .build()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessage("NOT_FOUND: sandbox sb-grpc0001 not found");
    }

    @Test
    void errorsCarryTheirStatusCodeAndMessage() {
        assertThatThrownBy(() -> agent.createSandbox(CreateSandboxRequest.newBuilder()
                        .setSandboxId("no/slashes")
                        .build()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("INVALID_ARGUMENT: creating sandbox: sandbox id `no/slashes` is not a safe name");
        assertThatThrownBy(() -> agent.pingSandbox(
                        PingSandboxRequest.newBuilder().setSandboxId("sb-none").build()))
                .hasMessage("NOT_FOUND: sandbox sb-none not found");
        assertThatThrownBy(() -> agent.exec(ExecRequest.newBuilder()
                        .setSandboxId("sb-none")
                        .setCmd("true")
                        .build()))
                .extracting(e -> Status.fromThrowable(e).getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }
}
