package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.hosts.HostAgentTls;
import dev.wrenn.host.enroll.EnrollOptions;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxRuleset;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.HostIdentityFiles;
import dev.wrenn.pki.Role;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real host agent and a real control plane, each a process of its own ({@link ChildJvm}), over the guest image of
 * the {@code wrenn up} tests ({@link UpImage}: {@code WRENN_TEST_UP_DATA_DIR}, slots from
 * {@code WRENN_TEST_UP_FIRST_SLOT}) and a control-plane data directory (SQLite) of the test's. The host agent serves
 * mutual TLS with an identity of the control plane's CA, as an enrollment leaves it. Either program can be started
 * with a hold point ({@link CrashPoints#HOLD_PROPERTY}) so a test can kill something while a request is in flight,
 * and started again on the same data.
 */
final class CrashCluster implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SLOTS = 4;
    private static final String PASSWORD = "correct horse battery";

    final Path hostDataDir;
    final Path controlDir;
    private final Path logs;
    private final ClusterCa ca;
    private final int agentPort;
    private final int apiPort;
    private final int proxyPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<ChildJvm> started = new ArrayList<>();
    private ChildJvm agent;
    private ChildJvm controlPlane;
    private String token;

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
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                if (send("GET", "/healthz", null).statusCode() == 200) {
                    return controlPlane;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!controlPlane.isAlive() || System.nanoTime() > deadline) {
                fail("the control plane did not serve; its output:%n%s", controlPlane.log());
            }
            Thread.sleep(100);
        }
    }

    /** The first account (the administrator) signs up once; every call logs in (a token outlives a restart). */
    String login() throws Exception {
        ObjectNode account =
                JSON.createObjectNode().put("email", "crash@example.com").put("password", PASSWORD);
        if (token == null) {
            HttpResponse<String> signup = send("POST", "/v1/auth/signup", account.toString());
            assertThat(signup.statusCode()).as(signup.body()).isIn(201, 202);
        }
        HttpResponse<String> login = send("POST", "/v1/auth/login", account.toString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        token = JSON.readTree(login.body()).get("token").asText();
        return token;
    }

    String create() throws Exception {
        HttpResponse<String> created = send("POST", "/v1/sandboxes", "{\"template\":\"base\",\"timeout_sec\":3600}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asText();
    }

    /** Runs a shell script in the sandbox through {@code /v1}; returns its standard output, stripped. */
    String exec(String id, String script) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("cmd", "/bin/sh");
        body.putArray("args").add("-c").add(script);
        HttpResponse<String> reply = send("POST", "/v1/sandboxes/" + id + "/exec", body.toString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(reply.body());
        assertThat(result.get("exit_code").asInt()).as(reply.body()).isZero();
        return result.get("stdout").asText().strip();
    }

    /** The sandbox's /v1 view; empty when it answers 404. */
    JsonNode sandbox(String id) throws Exception {
        HttpResponse<String> reply = send("GET", "/v1/sandboxes/" + id, null);
        assertThat(reply.statusCode()).as(reply.body()).isIn(200, 404);
        return reply.statusCode() == 404 ? JSON.createObjectNode() : JSON.readTree(reply.body());
    }

    /** Every sandbox the team lists on {@code /v1}. */
    List<JsonNode> sandboxes() throws Exception {
        HttpResponse<String> reply = send("GET", "/v1/sandboxes", null);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(reply.body());
        JsonNode list = body.isArray() ? body : body.path("sandboxes");
        List<JsonNode> all = new ArrayList<>();
        list.forEach(all::add);
        return all;
    }

    /**
     * Polls the sandbox until {@code settled} holds; returns how long that took since {@code from} (a restart). Fails
     * after {@code limit} with the last view and both programs' logs.
     */
    Duration awaitSandbox(String id, Predicate<JsonNode> settled, long from, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last;
        while (!settled.test(last = sandbox(id))) {
            if (System.nanoTime() > deadline) {
                fail(
                        "sandbox %s did not settle within %s; last seen: %s%ncontrol plane:%n%s%nhost agent:%n%s",
                        id, limit, last, controlPlane.log(), agent.log());
            }
            Thread.sleep(50);
        }
        return ChildJvm.since(from);
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofMinutes(15))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The QEMU process of sandbox {@code id} on this data directory. */
    ProcessHandle qemuOf(String id) {
        return qemus().filter(p ->
                        p.info().arguments().map(List::of).orElse(List.of()).contains("wrenn-" + id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no QEMU process of " + id));
    }

    private Stream<ProcessHandle> qemus() {
        String root = hostDataDir + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(arg -> arg.contains(root)));
    }

    /** Nothing of a sandbox is left: no QEMU, namespace, link, nft table of the slots, no files, no snapshot. */
    void assertNothingLeft() throws IOException {
        SlotRange slots = slots();
        assertThat(qemus().toList()).as("QEMU processes of " + hostDataDir).isEmpty();
        assertThat(new Ip().listNetns()).as("network namespaces").noneMatch(ns -> slots.owns(ns, Slot.NETNS_PREFIX));
        assertThat(new Ip().listLinks(null)).as("host links").noneMatch(l -> slots.owns(l, Slot.VETH_PREFIX));
        assertThat(new Nft().listTables(null))
                .as("host nft tables")
                .noneMatch(t -> slots.owns(t.replaceFirst("^\\S+ ", ""), SandboxRuleset.HOST_TABLE_PREFIX));
        for (String dir : List.of("sandboxes", "snapshots")) {
            Path path = hostDataDir.resolve(dir);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    assertThat(files.toList()).as("files under " + path).isEmpty();
                }
            }
        }
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
