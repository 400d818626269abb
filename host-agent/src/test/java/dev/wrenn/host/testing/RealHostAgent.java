package dev.wrenn.host.testing;

import dev.wrenn.host.api.HostAgentGrpcService;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.guest.EnvdInitializer;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A host agent as the real program wires it (manager with the guest agent's readiness and /init, gRPC service)
 * over the real guest image, served in-process. Close it to destroy its sandboxes and free its slots.
 */
public final class RealHostAgent implements AutoCloseable {
    // Other test classes on this shared machine boot VMs in the lowest slots; staying above them avoids clashing
    // namespace names when they run at the same time.
    private static final int FIRST_SLOT = 40;
    private static final int MAX_MESSAGE_BYTES = 80 << 20;

    private final DataDir dataDir;
    private final SlotAllocator slots = new SlotAllocator();
    private final EnvdClients guests = new EnvdClients();
    private final SandboxManager manager;
    private final Server server;
    private final ManagedChannel channel;

    public RealHostAgent(Path root) throws IOException {
        dataDir = RealImage.dataDirUnder(root);
        for (int i = 1; i < FIRST_SLOT; i++) {
            slots.reserve(new Slot(i));
        }
        Accel accel = new AccelProbe(dataDir.kernel(), root, AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
        long tscKhz = HostCpu.tscKhz();
        manager = new SandboxManager(
                dataDir,
                slots,
                new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated()),
                new QemuImg(),
                spec -> new QemuMicrovm(spec, accel, tscKhz),
                new EnvdHealth(),
                new EnvdInitializer(guests, Clock.systemUTC()),
                Duration.ofSeconds(120));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(new HostAgentGrpcService(manager, guests))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    public SandboxManager manager() {
        return manager;
    }

    public EnvdClients guests() {
        return guests;
    }

    public DataDir dataDir() {
        return dataDir;
    }

    /** Slots this agent uses, beyond those reserved to keep clear of other tests. */
    public int slotsInUse() {
        return slots.inUse() - (FIRST_SLOT - 1);
    }

    public HostAgentServiceGrpc.HostAgentServiceBlockingStub blocking() {
        return HostAgentServiceGrpc.newBlockingStub(channel);
    }

    public HostAgentServiceGrpc.HostAgentServiceStub async() {
        return HostAgentServiceGrpc.newStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        manager.close();
        guests.close();
    }
}
