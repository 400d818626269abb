package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Wrenn program (the control plane, the host agent, {@code wrenn up}) in a JVM of its own, started from this test's
 * class path, so that a test can kill it with SIGKILL while a request is in flight, as a crash or an operator would.
 * Its output goes to a log file the test reads (a hold point being reached, say).
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(
            String name,
            Path log,
            List<String> jvmOptions,
            String mainClass,
            List<String> args,
            Map<String, String> env)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m"));
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        argv.add(mainClass);
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        return new ChildJvm(name, builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Waits until the log holds {@code text}; fails (with the log) if the process exits or the time runs out. */
    void awaitLog(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!log().contains(text)) {
            if (!process.isAlive()) {
                fail("%s exited with %d before logging `%s`; its output:%n%s", name, process.exitValue(), text, log());
            }
            if (System.nanoTime() > deadline) {
                fail("%s did not log `%s` within %s; its output:%n%s", name, text, limit, log());
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL: nothing of the program runs any more (no shutdown hook, no finally block). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("%s (pid %d) survived SIGKILL for 30 s", name, process.pid());
        }
    }

    /** SIGTERM, as systemd or Ctrl-C stops it; SIGKILL after a minute. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("%s (pid %d) did not stop within 60 s of SIGTERM; its output:%n%s", name, process.pid(), log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }

    static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }
}
