package dev.wrenn.control.e2e;

import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.hosts.HostAgentTls;
import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.HostIdentityFiles;
import dev.wrenn.pki.Role;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real host agent ({@code dev.wrenn.host.HostAgentMain}, from its shaded jar) as a child process, booting real
 * VMs from the guest image that the host agent's own tests build into {@code /var/lib/wrenn-test}
 * ({@code WRENN_TEST_DATA_DIR} overrides it, as for those tests), by the same {@code ./wrenn image}; the host agent's
 * jar is built again when it is missing or older than its sources ({@link StaleJar}). The control plane may not
 * depend on the host agent, so it is started the way an operator starts it.
 *
 * <p>The agent gets a data directory of its own whose images are links to the built ones: an agent sweeps every
 * QEMU that names its data directory at start, so sharing the test data directory with another agent's tests
 * would kill their VMs (or theirs ours). Slots 220..223 keep its network apart from theirs (200..203). Needs root,
 * QEMU and the image tools; anything missing fails the test with the build's or the agent's own message.
 */
public final class RealHostAgent implements AutoCloseable {
    static final Path IMAGE_DATA_DIR = Path.of(env("WRENN_TEST_DATA_DIR", "/var/lib/wrenn-test"));
    private static final int FIRST_SLOT = 220;
    private static final int SLOTS = 4;
    private static final long BUILD_MINUTES = 30;

    private final Process process;
    private final Path root;
    private final Path log;
    private final String address;
    private final ClusterCa ca;

    private RealHostAgent(Process process, Path root, Path log, String address, ClusterCa ca) {
        this.process = process;
        this.root = root;
        this.log = log;
        this.address = address;
        this.ca = ca;
    }

    /** Builds what is missing (guest agent jar, guest image, host agent jar), starts the agent, waits until it serves. */
    public static RealHostAgent start() throws IOException, InterruptedException {
        Path repo = repositoryRoot();
        // The guest agent jar when stale, then the image: the same command the host agent's tests use.
        build(
                repo,
                "building the guest image into " + IMAGE_DATA_DIR,
                "./wrenn",
                "image",
                "--data-dir",
                IMAGE_DATA_DIR.toString());
        Path hostJar = repo.resolve("host-agent/target/wrenn-host-agent.jar");
        if (StaleJar.isStale(hostJar, repo, List.of("host-agent", "connect", "protocol"))) {
            build(
                    repo,
                    "building the host agent jar",
                    "./mvnw",
                    "-q",
                    "-B",
                    "-pl",
                    "host-agent",
                    "-am",
                    "package",
                    "-DskipTests");
        }
        Path root = Files.createTempDirectory(Path.of("/var/lib"), "wrenn-cp-e2e-");
        linkImages(root.resolve("images"));
        Path log = root.resolve("host-agent.log");
        String address = "127.0.0.1:" + freePort();
        // The agent serves mutual TLS only: an enrolled identity of a CA made for this agent alone.
        ClusterCa ca = ClusterCa.create("e2e test CA", Clock.systemUTC());
        HostIdentityFiles.save(
                root.resolve("host-pki"),
                ca.newIdentity(Role.HOST, "127.0.0.1", java.time.Duration.ofDays(1)),
                ca.certificate());
        Process process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        hostJar.toString(),
                        "--data-dir",
                        root.toString(),
                        "--listen",
                        address,
                        "--first-slot",
                        Integer.toString(FIRST_SLOT),
                        "--max-sandboxes",
                        Integer.toString(SLOTS),
                        "--boot-timeout",
                        "180"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        RealHostAgent agent = new RealHostAgent(process, root, log, address, ca);
        agent.awaitServing();
        return agent;
    }

    public String address() {
        return address;
    }

    /** A client with a control-plane certificate of this agent's CA. */
    public GrpcHostAgentClient connect() {
        return GrpcHostAgentClient.connect(address, HostAgentTls.channel(ca));
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (the agent destroys its sandboxes on the way out), then the data directory is deleted. */
    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (GrpcHostAgentClient client = connect()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("the host agent exited with %d before serving; its output:%n%s", process.exitValue(), log());
                }
                try {
                    client.listSandboxes();
                    return;
                } catch (RuntimeException notYet) {
                    Thread.sleep(200);
                }
            }
        }
        fail("the host agent did not serve within 120 s; its output:%n%s", log());
    }

    /**
     * The built image's files, hard-linked into a flat images directory (the agent reads that layout as well). Hard
     * links, not symbolic ones: another test run may rebuild the shared image meanwhile and delete the files'
     * directory, and the links keep this agent's copy alive until it is done. Across file systems (a
     * {@code WRENN_TEST_DATA_DIR} elsewhere) only symbolic links are possible.
     */
    private static void linkImages(Path images) throws IOException {
        Path built = IMAGE_DATA_DIR.resolve("images/current").toRealPath();
        Files.createDirectories(images);
        try (Stream<Path> files = Files.list(built)) {
            for (Path file : files.toList()) {
                Path link = images.resolve(file.getFileName());
                try {
                    Files.createLink(link, file);
                } catch (FileSystemException e) {
                    Files.createSymbolicLink(link, file);
                }
            }
        }
    }

    private static void build(Path repo, String what, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("wrenn-cp-e2e-build-", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("%s took longer than %d minutes; output:%n%s", what, BUILD_MINUTES, Files.readString(output));
            }
            if (process.exitValue() != 0) {
                fail(
                        "%s failed (exit %d), so the end-to-end tests cannot run; output:%n%s",
                        what, process.exitValue(), Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("images/build.sh"))) {
                return dir;
            }
        }
        return fail("cannot find the repository root (with mvnw and images/build.sh) above "
                + Path.of("").toAbsolutePath());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
