package dev.wrenn.launcher.campaigns;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A campaign's own {@code ./wrenn up}: a child process on its own data directory, port and network slots, started
 * with {@code --reset-password} so that the administrator's password is printed (and read here from its output),
 * and always stopped with SIGTERM (SIGKILL a minute later). It is the one process that holds both the host agent
 * and the control plane, so its fds, threads and RSS are theirs.
 */
final class ScratchUp implements AutoCloseable {
    private static final Pattern PASSWORD = Pattern.compile("admin\\s+(\\S+@\\S+)\\s+password\\s+(\\S+)");
    private static final Duration START_DEADLINE = Duration.ofMinutes(30);

    private final Process process;
    private final Path log;
    private final String url;
    private final String proxyUrl;
    private final boolean ownLog;
    private boolean stoppedCleanly;
    private boolean closed;

    private ScratchUp(Process process, Path log, boolean ownLog, int port) {
        this.process = process;
        this.log = log;
        this.ownLog = ownLog;
        this.url = "http://127.0.0.1:" + port;
        this.proxyUrl = "http://127.0.0.1:" + (port + 1);
    }

    /** Starts it and returns once /healthz answers; fails with the end of its output when it exits or hangs. */
    static ScratchUp start(Path root, CampaignOptions options, PrintStream out)
            throws IOException, InterruptedException {
        Path log = options.log();
        boolean ownLog = log == null;
        if (ownLog) {
            log = Files.createTempFile("wrenn-campaign-up-", ".log");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        root.resolve("wrenn").toString(),
                        "up",
                        "--data-dir",
                        options.dataDir().toString(),
                        "--port",
                        Integer.toString(options.port()),
                        "--reset-password"))
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("WRENN_FIRST_SLOT", Integer.toString(options.firstSlot()));
        env.put("WRENN_MAX_SANDBOXES", Integer.toString(options.maxSandboxes()));
        env.remove("WRENN_DATA_DIR");
        env.remove("WRENN_PORT");
        ScratchUp up = new ScratchUp(builder.start(), log, ownLog, options.port());
        // Stopped with this JVM whenever that happens (SIGTERM while it still starts included): never left running.
        Runtime.getRuntime().addShutdownHook(new Thread(up::close, "scratch-up-stop"));
        out.printf(
                "campaign: started ./wrenn up (pid %d, data %s, %s, slots %d..%d, log %s)%n",
                up.pid(),
                options.dataDir(),
                up.url,
                options.firstSlot(),
                options.firstSlot() + options.maxSandboxes() - 1,
                log);
        try {
            up.awaitServing();
        } catch (IOException | RuntimeException | InterruptedException e) {
            up.close();
            throw e;
        }
        return up;
    }

    private void awaitServing() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("./wrenn up exited (" + process.exitValue() + ") before serving:\n" + tail(40));
            }
            try {
                HttpResponse<Void> health = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/healthz"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200 && password() != null) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting (or building the image: minutes on a first start)
            }
            Thread.sleep(1000);
        }
        throw new IOException("./wrenn up did not serve " + url + "/healthz within 30 minutes:\n" + tail(40));
    }

    /** The administrator's email and password as this start printed them, or null before the banner. */
    String[] password() throws IOException {
        Matcher m = PASSWORD.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return m.find() ? new String[] {m.group(1), m.group(2)} : null;
    }

    String url() {
        return url;
    }

    String proxyUrl() {
        return proxyUrl;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String tail(int lines) throws IOException {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** SIGTERM, then SIGKILL after a minute (the next start's sweep reclaims what a killed one left). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Its descendants too: stopped while `./wrenn` still builds the image, the script dies but images/build.sh
        // and mmdebstrap would go on as orphans.
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (ProcessHandle descendant : descendants) {
            if (descendant.isAlive()) {
                descendant.destroy();
            }
        }
        stoppedCleanly = logSaysStopped();
        if (ownLog && stoppedCleanly) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    /** After {@link #close}: whether its output said it stopped cleanly (what build/up-fixture.sh checks too). */
    boolean stoppedCleanly() {
        return stoppedCleanly;
    }

    Path log() {
        return log;
    }

    private boolean logSaysStopped() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains("wrenn up stopped");
        } catch (IOException e) {
            return false;
        }
    }
}
