package dev.wrenn.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxLimits;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.testing.Leftovers;
import dev.wrenn.host.testing.RealImage;
import dev.wrenn.host.testing.RealSandboxes;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.GetSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creates the agent must refuse, over gRPC and the real image: each gets its status code and a message naming the
 * problem, and leaves no slot, namespace, file or process behind.
 */
class CreateRejectionTest {
    /** One slot, so the second sandbox finds none free. */
    private static final SlotRange ONE_SLOT = new SlotRange(RealImage.SLOTS.first(), 1);

    private static final SandboxLimits LIMITS = new SandboxLimits(2, 1024);

    private final List<Runnable> closers = new ArrayList<>();
    private final SlotAllocator slots = new SlotAllocator(ONE_SLOT);

    @AfterEach
    void tearDown() {
        closers.reversed().forEach(Runnable::run);
        RealSandboxes.sweep(RealImage.dataDir());
    }

    @Test
    void badTemplatesAndSizesAreRefusedBeforeAnythingIsAcquired() {
        DataDir dataDir = RealImage.dataDir();
        var agent = agentOver(dataDir);

        assertRefused(
                agent,
                create("sb-rej00001").setTemplate("python"),
                Status.Code.NOT_FOUND,
                "template python not found: this host has only `base`");
        assertRefused(
                agent,
                create("sb-rej00001").setTemplate("../base"),
                Status.Code.INVALID_ARGUMENT,
                "template `../base` is not a safe name");
        assertRefused(
                agent,
                create("sb-rej00001").setVcpus(-1),
                Status.Code.INVALID_ARGUMENT,
                "vcpus must be in 1..64, got -1");
        assertRefused(
                agent,
                create("sb-rej00001").setMemoryMb(-512),
                Status.Code.INVALID_ARGUMENT,
                "memory_mb must be in 64..65536, got -512");
        assertRefused(
                agent,
                create("sb-rej00001").setVcpus(3),
                Status.Code.INVALID_ARGUMENT,
                "3 vCPUs asked, this host allows at most 2");
        assertRefused(
                agent,
                create("sb-rej00001").setMemoryMb(2048),
                Status.Code.INVALID_ARGUMENT,
                "2048 MiB asked, this host allows at most 1024 MiB");
        assertRefused(
                agent,
                create("sb-rej00001").setMemoryMb(32),
                Status.Code.INVALID_ARGUMENT,
                "memory_mb must be in 64..65536, got 32");

        assertNothingLeft(agent, dataDir);
    }

    @Test
    void missingImageFilesFailThePreconditionNamingTheFile(@TempDir Path empty) {
        DataDir dataDir = new DataDir(empty);
        var agent = agentOver(dataDir);

        assertRefused(
                agent,
                create("sb-rej00002"),
                Status.Code.FAILED_PRECONDITION,
                "template base: image file " + dataDir.images().resolve("vmlinuz") + " is missing");

        assertNothingLeft(agent, dataDir);
    }

    @Test
    void zeroSizesTakeTheDefaultsAndADuplicateIdOrAFullHostIsRefused() {
        DataDir dataDir = RealImage.dataDir();
        var agent = agentOver(dataDir);

        CreateSandboxResponse created = agent.createSandbox(
                create("sb-rej00003").setVcpus(0).setMemoryMb(0).build());
        SandboxInfo info = agent.getSandbox(
                GetSandboxRequest.newBuilder().setSandboxId("sb-rej00003").build());

        assertThat(created.getHostIp())
                .isEqualTo(new Slot(ONE_SLOT.first()).hostIp().toString());
        assertThat(info.getVcpus())
                .as("proto3 cannot tell 0 from unset: 0 means the default")
                .isEqualTo(1);
        assertThat(info.getMemoryMb()).isEqualTo(512);
        assertRefused(agent, create("sb-rej00003"), Status.Code.ALREADY_EXISTS, "sandbox sb-rej00003 already exists");
        assertRefused(
                agent,
                create("sb-rej00004"),
                Status.Code.RESOURCE_EXHAUSTED,
                "allocating a network slot: all 1 of this host are in use");
        assertThat(agent.listSandboxes(ListSandboxesRequest.getDefaultInstance())
                        .getSandboxesList())
                .extracting(SandboxInfo::getSandboxId)
                .containsExactly("sb-rej00003");
        assertThat(Leftovers.qemusOf(dataDir)).hasSize(1);
    }

    private static CreateSandboxRequest.Builder create(String id) {
        return CreateSandboxRequest.newBuilder().setSandboxId(id).setMemoryMb(256);
    }

    private static void assertRefused(
            HostAgentServiceGrpc.HostAgentServiceBlockingStub agent,
            CreateSandboxRequest.Builder request,
            Status.Code code,
            String message) {
        assertThatThrownBy(() -> agent.createSandbox(request.build()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining(message)
                .extracting(e -> Status.fromThrowable(e).getCode())
                .isEqualTo(code);
    }

    private void assertNothingLeft(HostAgentServiceGrpc.HostAgentServiceBlockingStub agent, DataDir dataDir) {
        assertThat(agent.listSandboxes(ListSandboxesRequest.getDefaultInstance())
                        .getSandboxesCount())
                .isZero();
        assertThat(slots.inUse()).isZero();
        Leftovers.assertNone(dataDir, RealImage.SLOTS);
    }

    private HostAgentServiceGrpc.HostAgentServiceBlockingStub agentOver(DataDir dataDir) {
        SandboxManager manager = RealSandboxes.manager(dataDir, slots, LIMITS);
        String name = InProcessServerBuilder.generateName();
        try {
            Server server = InProcessServerBuilder.forName(name)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .addService(new HostAgentGrpcService(manager))
                    .build()
                    .start();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            closers.add(manager::close);
            closers.add(server::shutdownNow);
            closers.add(channel::shutdownNow);
            return HostAgentServiceGrpc.newBlockingStub(channel);
        } catch (java.io.IOException e) {
            throw new AssertionError("starting an in-process gRPC server", e);
        }
    }
}
