package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.HostIdentityFiles;
import dev.wrenn.pki.MutualTls;
import dev.wrenn.pki.Role;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real host agent ({@code HostAgentMain}) in a child JVM, so a test can kill it as an operator or a crash would. */
public final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final ManagedChannel channel;

    private AgentProcess(Process process, Path log, int port, ChannelCredentials credentials) {
        this.process = process;
        this.log = log;
        this.channel = Grpc.newChannelBuilder("127.0.0.1:" + port, credentials).build();
    }

    /**
     * The agent serves mutual TLS only: a CA made for this agent alone, the host's identity written where an
     * enrollment would put it, and the test's client certificate of the same CA.
     */
    private static ChannelCredentials enrolled() {
        ClusterCa ca = ClusterCa.create("agent process test CA", java.time.Clock.systemUTC());
        HostIdentityFiles.save(
                RealImage.DATA_DIR.resolve(dev.wrenn.host.enroll.EnrollOptions.PKI_DIR),
                ca.newIdentity(Role.HOST, "127.0.0.1", Duration.ofDays(1)),
                ca.certificate());
        return MutualTls.controlPlaneChannel(
                ca.newIdentity(Role.CONTROL_PLANE, "test", Duration.ofDays(1)), ca.certificate());
    }

    /** Starts an agent over the real image's data directory and the tests' slot range; returns once it serves. */
    public static AgentProcess start(Path log) throws IOException {
        return start(log, List.of());
    }

    /** The same, with extra JVM options (a test's {@code -Dwrenn.test.crashAt=<point>}, say). */
    public static AgentProcess start(Path log, List<String> jvmOptions) throws IOException {
        int port = freePort();
        ChannelCredentials credentials = enrolled();
        List<String> argv = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        argv.addAll(jvmOptions);
        argv.addAll(List.of(
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "dev.wrenn.host.HostAgentMain",
                "--data-dir",
                RealImage.DATA_DIR.toString(),
                "--accel",
                RealSandboxes.accel(RealImage.dataDir()).name().toLowerCase(),
                "--listen",
                "127.0.0.1:" + port,
                "--first-slot",
                Integer.toString(RealImage.SLOTS.first()),
                "--max-sandboxes",
                Integer.toString(RealImage.SLOTS.count()),
                "--boot-timeout",
                Long.toString(RealSandboxes.BOOT_TIMEOUT.toSeconds())));
        Process process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        AgentProcess agent = new AgentProcess(process, log, port, credentials);
        agent.awaitServing();
        return agent;
    }

    public HostAgentServiceGrpc.HostAgentServiceBlockingStub stub() {
        return HostAgentServiceGrpc.newBlockingStub(channel);
    }

    public HostAgentServiceGrpc.HostAgentServiceFutureStub futureStub() {
        return HostAgentServiceGrpc.newFutureStub(channel);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, as systemd or Ctrl-C would stop it; returns its exit status. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return waitFor();
    }

    /** Waits for the agent to end on its own (a crash point halting it, say); returns its exit status. */
    public int awaitExit() throws InterruptedException {
        return waitFor();
    }

    /** SIGKILL: the agent dies without running anything of its own. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        if (process.isAlive()) {
            terminate();
        }
    }

    private int waitFor() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("host agent pid %d did not stop within 60 s", process.pid());
        }
        return process.exitValue();
    }

    private void awaitServing() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("host agent exited with %d before serving; its output:%n%s", process.exitValue(), log());
            }
            try {
                stub().withDeadlineAfter(1, TimeUnit.SECONDS).listSandboxes(ListSandboxesRequest.getDefaultInstance());
                return;
            } catch (StatusRuntimeException notYet) {
                sleep();
            }
        }
        fail("host agent did not serve within 60 s; its output:%n%s", log());
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
