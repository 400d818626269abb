package dev.wrenn.host;

import dev.wrenn.host.api.HostAgentGrpcService;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.guest.EnvdInitializer;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxLimits;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.SweepReport;
import dev.wrenn.host.sandbox.Sweeper;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running host agent: at start it sweeps what an earlier agent left (running sandboxes included: a restarted
 * agent does not adopt VMs it did not start), lists the paused sandboxes it left again, decides the accelerator once,
 * starts the inactivity reaper and serves gRPC; {@link #stop()} stops serving and destroys every running sandbox
 * (paused ones stay on disk for the next start).
 */
public final class HostAgent {
    private static final Logger log = LoggerFactory.getLogger(HostAgent.class);
    private static final Duration DRAIN = Duration.ofSeconds(5);
    /** How often idle sandboxes are looked for (the original system's figure). */
    private static final Duration REAPER_TICK = Duration.ofSeconds(2);
    /** Unary WriteFile/ReadFile carry whole files up to 64 MiB; gRPC's default cap is 4 MiB. */
    private static final int MAX_MESSAGE_BYTES = 80 << 20;

    private static final Duration BASE_RECHECK = Duration.ofMinutes(1);

    private final SandboxManager manager;
    private BaseWarmer warmer;
    private final Server server;
    private final SweepReport swept;
    private final EnvdClients guests;
    private boolean stopped;

    private HostAgent(SandboxManager manager, Server server, SweepReport swept, EnvdClients guests) {
        this.manager = manager;
        this.server = server;
        this.swept = swept;
        this.guests = guests;
    }

    /**
     * Serves gRPC behind {@code credentials}: mutual TLS, {@code dev.wrenn.pki.MutualTls#hostServer} (standalone: the
     * enrolled certificate, {@code dev.wrenn.host.enroll.HostTls}). There is no plaintext mode.
     */
    public static HostAgent start(HostAgentConfig config, ServerCredentials credentials) {
        DataDir dataDir = new DataDir(config.dataDir());
        createDirectories(dataDir);
        Ip ip = new Ip();
        Nft nft = new Nft();
        // Sandboxes' outbound traffic is forwarded by the host: any sandbox may be allowed out by its own rules,
        // whatever the operator's default. What each one may reach is filtered inside its namespace.
        ip.setSysctl(null, "net.ipv4.ip_forward", "1");
        SlotRange slots = new SlotRange(config.firstSlot(), config.maxSandboxes());
        SweepReport swept = new Sweeper(dataDir, ip, nft, slots).sweep();
        log.info("start sweep: {}", describe(swept));
        ImageStore images = new ImageStore(dataDir.images());
        Accel accel = new AccelProbe(images.baseKernel(), dataDir.root(), AccelProbe.DEFAULT_PROBE_TIME)
                .decide(config.accel());
        EnvdClients guests = new EnvdClients();
        SandboxManager manager = manager(config, dataDir, new SlotAllocator(slots), ip, nft, images, accel, guests);
        manager.recover();
        manager.startInactivityReaper(REAPER_TICK);
        Server server = serve(config.listen(), credentials, manager, guests);
        log.info(
                "host agent ready: gRPC on {}, data {}, accel {}, egress {}, up to {} sandboxes of {} vCPUs / {} MiB",
                server.getListenSockets().getFirst(), // the bound port when the config asked for 0
                dataDir.root(),
                accel,
                config.egress(),
                config.maxSandboxes(),
                config.maxVcpus(),
                config.maxMemoryMib());
        return new HostAgent(manager, server, swept, guests);
    }

    /**
     * Starts keeping the base template of this shape ready (made now if missing, rechecked every minute so a rebuilt
     * image gets its own before a create asks). Programs call this; in-process tests that do not want a background
     * boot do not.
     *
     * @return completes when the first check has the template, or with why it could not be made
     */
    public synchronized CompletableFuture<String> keepBaseWarm(int vcpus, int memoryMb) {
        if (warmer == null) {
            warmer = new BaseWarmer(manager, vcpus, memoryMb);
            warmer.start(BASE_RECHECK);
        }
        return warmer.first();
    }

    public SandboxManager manager() {
        return manager;
    }

    /** What the start sweep reclaimed. */
    public SweepReport swept() {
        return swept;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().getFirst();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops taking requests, lets running calls finish for a few seconds, then destroys every sandbox. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (warmer != null) {
            warmer.stop();
        }
        log.info(
                "host agent stopping: destroying {} sandboxes (paused ones stay on disk)",
                manager.list().stream()
                        .filter(s -> s.state() != dev.wrenn.host.sandbox.VmState.PAUSED)
                        .count());
        server.shutdown();
        try {
            if (!server.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        manager.close();
        guests.close();
        log.info("host agent stopped");
    }

    private static SandboxManager manager(
            HostAgentConfig config,
            DataDir dataDir,
            SlotAllocator slots,
            Ip ip,
            Nft nft,
            ImageStore images,
            Accel accel,
            EnvdClients guests) {
        long tscKhz = HostCpu.tscKhz();
        SandboxManager manager = new SandboxManager(
                dataDir,
                slots,
                new SandboxNetwork(ip, nft, new NetworkConfig(config.egress(), config.egressAllowCidrs())),
                new QemuImg(),
                spec -> new QemuMicrovm(spec, accel, tscKhz),
                new EnvdHealth(),
                new EnvdInitializer(guests, Clock.systemUTC()),
                config.bootTimeout(),
                images,
                new SandboxLimits(config.maxVcpus(), config.maxMemoryMib()));
        manager.useRegistryMirrors(config.registryMirrors());
        return manager;
    }

    private static Server serve(
            InetSocketAddress listen, ServerCredentials credentials, SandboxManager manager, EnvdClients guests) {
        try {
            return listen(listen, credentials, new HostAgentGrpcService(manager, guests));
        } catch (UncheckedIOException e) {
            manager.close();
            throw e;
        }
    }

    /** The agent's gRPC listener for {@code service}: the same server settings whatever the service behind it. */
    public static Server listen(InetSocketAddress listen, ServerCredentials credentials, BindableService service) {
        try {
            return NettyServerBuilder.forAddress(listen, credentials)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .addService(service)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("serving gRPC on " + listen + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(DataDir dataDir) {
        try {
            Files.createDirectories(dataDir.images());
            Files.createDirectories(dataDir.sandboxes());
        } catch (IOException e) {
            throw new UncheckedIOException("creating data directory " + dataDir.root() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(SweepReport report) {
        if (report.isEmpty()) {
            return "nothing left by an earlier agent";
        }
        return "reclaimed %d QEMU processes %s, nft tables %s, links %s, namespaces %s, sandbox directories %s"
                .formatted(
                        report.killedPids().size(),
                        report.killedPids(),
                        report.nftTables(),
                        report.links(),
                        report.netns(),
                        report.files().stream()
                                .map(p -> p.getFileName().toString())
                                .toList());
    }
}
