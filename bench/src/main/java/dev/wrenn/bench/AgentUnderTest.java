package dev.wrenn.bench;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A guest agent started from its jar for a benchmark run, on loopback, and stopped by its pid afterwards. */
final class AgentUnderTest implements AutoCloseable {
    private final Process process;
    private final URI base;
    private final long startupNanos;

    private AgentUnderTest(Process process, URI base, long startupNanos) {
        this.process = process;
        this.base = base;
        this.startupNanos = startupNanos;
    }

    /** Starts the agent and waits for its first 204 from /health, timing process start to that answer. */
    static AgentUnderTest start(Path java, Path jar, int port, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions(jar));
        command.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port)));
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        awaitHealthy(client, base, process, log);
        return new AgentUnderTest(process, base, System.nanoTime() - start);
    }

    /**
     * The agent's JVM options as the launcher gives them (system property {@code wrenn.agent.jvm-options}, set by
     * {@code ./wrenn bench}), else the module's argfile and AOT cache found beside the jar, so that the figures
     * measure the agent as it runs in a sandbox.
     */
    private static List<String> jvmOptions(Path jar) {
        String given = System.getProperty("wrenn.agent.jvm-options", "").trim();
        if (!given.isEmpty()) {
            return List.of(given.split("\\s+"));
        }
        List<String> options = new ArrayList<>();
        Path argfile = jar.toAbsolutePath().getParent().resolveSibling("jvm.options");
        if (Files.isRegularFile(argfile)) {
            options.add("@" + argfile);
        }
        Path cache = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".aot"));
        if (Files.isRegularFile(cache)) {
            options.add("-XX:AOTCache=" + cache);
        }
        return options;
    }

    private static void awaitHealthy(HttpClient client, URI base, Process process, Path log) throws Exception {
        HttpRequest health = HttpRequest.newBuilder(base.resolve("/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("guest agent exited during start-up: " + Files.readString(log));
            }
            try {
                // A refused connect is cheap; a failed HttpClient send is not, and the CPU it burns while the agent
                // starts on the same cores would count as the agent's start-up time.
                if (accepts(base)
                        && client.send(health, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 204) {
                    return;
                }
            } catch (IOException notYetListening) {
                // retried below
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("guest agent did not answer /health within 60 s");
    }

    private static boolean accepts(URI base) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    URI base() {
        return base;
    }

    double startupMillis() {
        return startupNanos / 1e6;
    }

    /** Resident set size of the agent process in MiB, from /proc. */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for pid " + process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
