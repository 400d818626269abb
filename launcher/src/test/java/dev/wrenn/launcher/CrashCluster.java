package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.hosts.HostAgentTls;
import dev.wrenn.host.enroll.EnrollOptions;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.HostIdentityFiles;
import dev.wrenn.pki.Role;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real host agent and a real control plane, each a process of its own ({@link ChildJvm}), over the guest image of
 * the {@code wrenn up} tests ({@link UpImage}: {@code WRENN_TEST_UP_DATA_DIR}, slots from
 * {@code WRENN_TEST_UP_FIRST_SLOT}) and a control-plane data directory (SQLite) of the test's. The host agent serves
 * mutual TLS with an identity of the control plane's CA, as an enrollment leaves it. Either program can be started
 * with a hold point ({@link CrashPoints#HOLD_PROPERTY}) so a test can kill something while a request is in flight,
 * and started again on the same data.
 */
final class CrashCluster implements AutoCloseable {
    static final int SLOTS = 4;
    private static final String PASSWORD = "correct horse battery";

    final Path hostDataDir;
    final Path controlDir;
    private final Path logs;
    private final ClusterCa ca;
    private final int agentPort;
    private final int apiPort;
    private final int proxyPort;
    private final List<ChildJvm> started = new ArrayList<>();
    private ChildJvm agent;
    private ChildJvm controlPlane;
    private SandboxApi api;

    CrashCluster(Path controlDir, Path logs) throws IOException {
        this.hostDataDir = UpImage.dataDir();
        this.controlDir = controlDir;
        this.logs = logs;
        this.ca = ClusterCa.loadOrCreate(controlDir.resolve("pki"), Clock.systemUTC());
        this.agentPort = freePort();
        this.apiPort = freePort();
        this.proxyPort = freePort();
        HostIdentityFiles.save(
                hostDataDir.resolve(EnrollOptions.PKI_DIR),
                ca.newIdentity(Role.HOST, "127.0.0.1", Duration.ofDays(1)),
                ca.certificate());
    }

    static SlotRange slots() {
        return new SlotRange(Integer.parseInt(UpImage.FIRST_SLOT), SLOTS);
    }

    /** The file whose creation lets a held agent go on. */
    Path releaseFile() {
        return logs.resolve("release");
    }

    void release() throws IOException {
        Files.writeString(releaseFile(), "go");
    }

    /** JVM options that hold the agent at {@code point} until {@link #release}. */
    List<String> holdAt(String point) throws IOException {
        Files.deleteIfExists(releaseFile());
        return List.of(
                "-D" + CrashPoints.HOLD_PROPERTY + "=" + point,
                "-D" + CrashPoints.RELEASE_PROPERTY + "=" + releaseFile());
    }

    ChildJvm startAgent(String logName, List<String> jvmOptions) throws Exception {
        agent = ChildJvm.start(
                "host agent",
                logs.resolve(logName),
                jvmOptions,
                "dev.wrenn.host.HostAgentMain",
                List.of(
                        "--data-dir",
                        hostDataDir.toString(),
                        "--listen",
                        "127.0.0.1:" + agentPort,
                        "--first-slot",
                        UpImage.FIRST_SLOT,
                        "--max-sandboxes",
                        Integer.toString(SLOTS),
                        "--boot-timeout",
                        "600"),
                Map.of());
        started.add(agent);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try (GrpcHostAgentClient client = agentClient()) {
                client.listSandboxes();
                return agent;
            } catch (ApiException notYet) {
                if (!agent.isAlive() || System.nanoTime() > deadline) {
                    fail("the host agent did not serve; its output:%n%s", agent.log());
                }
                Thread.sleep(100);
            }
        }
    }

    ChildJvm agent() {
        return agent;
    }

    ChildJvm controlPlane() {
        return controlPlane;
    }

    GrpcHostAgentClient agentClient() {
        return GrpcHostAgentClient.connect("127.0.0.1:" + agentPort, HostAgentTls.channel(ca));
    }

    /** Starts the control plane on the test's data directory and returns once {@code /healthz} answers. */
    ChildJvm startControlPlane(String logName) throws Exception {
        controlPlane = ChildJvm.start(
                "control plane",
                logs.resolve(logName),
                List.of(),
                "dev.wrenn.control.ControlPlaneMain",
                List.of(),
                Map.of(
                        "WRENN_DATA_DIR", controlDir.toString(),
                        "WRENN_PORT", Integer.toString(apiPort),
                        "WRENN_PROXY_PORT", Integer.toString(proxyPort),
                        "WRENN_HOST_AGENT_ADDR", "127.0.0.1:" + agentPort));
        started.add(controlPlane);
        ChildJvm serving = controlPlane;
        new SandboxApi(apiPort, this::diagnostics).awaitServing(serving::isAlive, Duration.ofMinutes(2));
        return controlPlane;
    }

    /** The first account (the administrator) signs up once; later calls log in again (after a restart). */
    SandboxApi api() throws Exception {
        boolean signUp = api == null;
        api = new SandboxApi(apiPort, this::diagnostics);
        api.login("crash@example.com", PASSWORD, signUp);
        return api;
    }

    private String diagnostics() {
        return "control plane:%n%s%nhost agent:%n%s"
                .formatted(controlPlane == null ? "" : controlPlane.log(), agent == null ? "" : agent.log());
    }

    ProcessHandle qemuOf(String id) {
        return HostLeftovers.qemuOf(hostDataDir, id);
    }

    void assertNothingLeft() throws IOException {
        HostLeftovers.assertNone(hostDataDir, slots());
    }

    /** Stops what is still running, the agent last (SIGTERM: it destroys its running VMs). */
    @Override
    public void close() throws Exception {
        for (ChildJvm child : started.reversed()) {
            if (child != agent) {
                child.close();
            }
        }
        if (agent != null) {
            agent.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
