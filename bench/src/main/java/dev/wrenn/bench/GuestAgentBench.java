package dev.wrenn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The guest agent's benchmark (docs/benchmarks.md): every figure beside its floor measured in the same run, printed
 * as a Markdown table. Usage: {@code GuestAgentBench <java> <agent jar> [port]}; run as root, like the agent.
 */
public final class GuestAgentBench {
    private static final int EXEC_RUNS = 500;
    private static final int STARTUPS = 5;
    private static final long MIB = 1 << 20;

    private final Path java;
    private final Path jar;
    private final int port;
    private final Path workDir;
    private final List<String> rows = new ArrayList<>();

    private GuestAgentBench(Path java, Path jar, int port, Path workDir) {
        this.java = java;
        this.jar = jar;
        this.port = port;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: GuestAgentBench <java binary> <guest agent jar> [port]");
            System.exit(2);
        }
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 49983;
        Path workDir = Files.createTempDirectory("wrenn-bench-");
        try {
            new GuestAgentBench(Path.of(args[0]), Path.of(args[1]), port, workDir).run();
        } finally {
            try (var files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run() throws Exception {
        measureStartupAndIdleRss();
        try (AgentUnderTest agent = AgentUnderTest.start(java, jar, port, workDir.resolve("agent.log"))) {
            measureExec(agent);
            measureFiles(agent, MIB, 50);
            measureFiles(agent, 256 * MIB, 5);
        }
        System.out.println("| figure | Wrenn | floor (same run) | target |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /**
     * Start-up five times; on the last start, resident memory 3 s after the first /health (the compiler still holds
     * its start-up arenas), settled 10 s after it (they are freed and trimmed), and settled again 10 s after one exec
     * (what a sandbox's agent holds once it has served a command).
     */
    private void measureStartupAndIdleRss() throws Exception {
        long[] startups = new long[STARTUPS];
        double early = 0, settled = 0, afterExec = 0;
        for (int i = 0; i < STARTUPS; i++) {
            try (AgentUnderTest agent = AgentUnderTest.start(java, jar, port, workDir.resolve("agent.log"))) {
                startups[i] = (long) (agent.startupMillis() * 1e6);
                if (i == STARTUPS - 1) {
                    Thread.sleep(3_000);
                    early = agent.rssMiB();
                    Thread.sleep(7_000);
                    settled = agent.rssMiB();
                    new ExecRoundTrip(agent.base()).viaAgent();
                    Thread.sleep(10_000);
                    afterExec = agent.rssMiB();
                }
            }
        }
        Samples startup = new Samples(startups);
        rows.add(row("agent start-up to first /health (median of 5)", ms(startup.medianMillis()), "—", "< 400 ms"));
        rows.add(row("idle RSS, settled: start-up + 10 s", mib(settled), "—", "< 60 MiB"));
        rows.add(row("idle RSS, start-up + 3 s", mib(early), "—", "reference"));
        rows.add(row("idle RSS, settled after one exec (+ 10 s)", mib(afterExec), "—", "reference"));
    }

    private static String mib(double value) {
        return String.format(Locale.ROOT, "%.1f MiB", value);
    }

    private void measureExec(AgentUnderTest agent) throws Exception {
        ExecRoundTrip exec = new ExecRoundTrip(agent.base());
        Samples.of(50, exec::viaAgent); // warm-up: JIT and connection
        Samples.of(50, ExecRoundTrip::direct);
        Samples viaAgent = Samples.of(EXEC_RUNS, exec::viaAgent);
        Samples direct = Samples.of(EXEC_RUNS, ExecRoundTrip::direct);
        rows.add(row(
                "exec `true` via Start, p50",
                ms(viaAgent.medianMillis()),
                ms(direct.medianMillis()) + " direct spawn",
                "within 2 ms of floor"));
        rows.add(row(
                "exec `true` via Start, p99",
                ms(viaAgent.percentileMillis(99)),
                ms(direct.percentileMillis(99)) + " direct spawn",
                "—"));
    }

    /**
     * Upload, download, the local-copy floor and the two TCP-only references, interleaved run by run so that load from
     * other processes on the machine falls on all of them alike. Warm-up runs first let the JIT settle.
     */
    private void measureFiles(AgentUnderTest agent, long bytes, int runs) throws Exception {
        Path source;
        Path target = workDir.resolve("uploaded-" + bytes);
        Path localTarget = workDir.resolve("copied-" + bytes);
        Path tcpTarget = workDir.resolve("tcp-copied-" + bytes);
        Samples[] samples;
        try (FileTransfer files = new FileTransfer(agent.base(), workDir);
                FileTransfer downloadsOnly = new FileTransfer(agent.base(), workDir);
                LoopbackTcpCopy tcp = new LoopbackTcpCopy(tcpTarget, 1 << 20);
                LoopbackTcpCopy tcp8k = new LoopbackTcpCopy(tcpTarget, 8 << 10)) {
            source = files.source(bytes);
            samples = interleaved(
                    warmUps(bytes),
                    runs,
                    List.of(
                            () -> files.upload(source, target),
                            () -> files.download(target, bytes),
                            () -> FileTransfer.localCopy(source, localTarget),
                            () -> tcp.copy(source),
                            () -> tcp8k.copy(source),
                            () -> files.uploadMultipart(source, target),
                            () -> downloadsOnly.download(target, bytes)));
        }
        String size = bytes >= 256 * MIB ? "256 MiB" : "1 MiB";
        String floor = mbps(bytes, samples[2]) + " local copy";
        String median = " (median of " + runs + ")";
        rows.add(row("/files upload " + size + median, mbps(bytes, samples[0]), floor, "≥ ½ floor"));
        rows.add(row("/files download " + size + median, mbps(bytes, samples[1]), floor, "≥ ½ floor"));
        rows.add(row(
                "/files download " + size + " on a connection that only downloads" + median,
                mbps(bytes, samples[6]),
                floor,
                "reference"));
        rows.add(row(
                "/files upload " + size + " as multipart (the E2B SDK's form)" + median,
                mbps(bytes, samples[5]),
                floor,
                "reference"));
        rows.add(row(
                "loopback TCP file copy " + size + ", no HTTP" + median, mbps(bytes, samples[3]), floor, "reference"));
        rows.add(row(
                "same, 8 KiB reads (the JDK server's read size)" + median,
                mbps(bytes, samples[4]),
                floor,
                "reference"));
        for (Path file : List.of(target, localTarget, tcpTarget, source)) {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Enough warm-up rounds for the agent's JIT (C1 only, compiling a method after some hundreds of calls) to have
     * compiled the request path before the measured rounds: 10 rounds of 1 MiB left the upload path interpreted and
     * measured the interpreter. A 256 MiB transfer loops millions of times within one request, so two are enough.
     */
    private static int warmUps(long bytes) {
        return bytes >= 256 * MIB ? 2 : 300;
    }

    private static Samples[] interleaved(int warmups, int runs, List<Samples.Timed> operations) throws Exception {
        long[][] nanos = new long[operations.size()][runs];
        for (int i = -warmups; i < runs; i++) {
            for (int op = 0; op < operations.size(); op++) {
                long start = System.nanoTime();
                operations.get(op).run();
                if (i >= 0) {
                    nanos[op][i] = System.nanoTime() - start;
                }
            }
        }
        Samples[] samples = new Samples[operations.size()];
        for (int op = 0; op < samples.length; op++) {
            samples[op] = new Samples(nanos[op]);
        }
        return samples;
    }

    private static String mbps(long bytes, Samples samples) {
        return String.format(Locale.ROOT, "%.0f MB/s", bytes / 1e6 / (samples.medianMillis() / 1000));
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }

    private static String row(String figure, String wrenn, String floor, String target) {
        return "| " + figure + " | " + wrenn + " | " + floor + " | " + target + " |";
    }
}
