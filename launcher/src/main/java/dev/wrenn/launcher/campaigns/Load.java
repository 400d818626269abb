package dev.wrenn.launcher.campaigns;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./wrenn load --sandboxes N --execs M}: N live sandboxes at once, then M execs started at the same moment,
 * spread round-robin over them, first through {@code /v1} (POST exec), then through the E2B sandbox proxy (envd's
 * Connect Process/Start, as E2B's SDKs run a command). Each exec prints its own number and must get it back. The
 * single-exec latency of each route is measured in the same run (sequential, on an idle sandbox) beside the
 * concurrent p50/p99. Also reports what the N sandboxes cost the host: the QEMU processes' summed RSS, the host's
 * available memory before and after, and the load average, from which the limit is estimated.
 */
final class Load implements Campaigns.Campaign {
    static final Set<String> FLAGS = Set.of("--sandboxes", "--execs", "--memory-mb", "--singles");
    static final String USAGE = """
            Usage: wrenn load [--sandboxes N] [--execs M] [--memory-mb MB] [options]   (as root)
              --sandboxes N      live sandboxes at once (also raises --max-sandboxes)      20
              --execs M          concurrent execs per route, spread over them              1000
              --memory-mb MB     each sandbox's memory                                     512
              --singles K        sequential execs for the single-exec figure               20
            """ + CampaignOptions.COMMON_USAGE;

    private final Session session;
    private final PrintStream out;
    private final int sandboxes;
    private final int execs;
    private final int memoryMb;
    private final int singles;
    private final StepTimes steps = new StepTimes();
    private final Set<String> made = ConcurrentHashMap.newKeySet();

    Load(Session session, CampaignOptions options, PrintStream out) {
        this.session = session;
        this.out = out;
        this.sandboxes = options.integer("--sandboxes", 20, 1, 4096);
        this.execs = options.integer("--execs", 1000, 1, 1_000_000);
        this.memoryMb = options.integer("--memory-mb", 512, 128, 65_536);
        this.singles = options.integer("--singles", 20, 1, 10_000);
    }

    @Override
    public int run() throws Exception {
        WrennApi api = session.api();
        long memBefore = memAvailableMib();
        out.printf(
                "load: %d sandboxes of %d MB, %d concurrent execs per route; host MemAvailable %d MiB, load %s%n",
                sandboxes, memoryMb, execs, memBefore, loadAverage());
        List<String> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        try {
            for (int i = 0; i < sandboxes; i++) {
                String id = steps.time("create", () -> api.create("base", memoryMb));
                made.add(id);
                ids.add(id);
                tokens.add(api.e2bDetail(id).path("envdAccessToken").asText());
                out.printf("load: sandbox %d/%d %s running%n", i + 1, sandboxes, id);
            }
            // Settle: a just-created guest is still finishing its start-up work.
            Thread.sleep(5000);
            long memAfter = memAvailableMib();
            long qemuRss = qemuRssMib(session.pid());
            out.printf(
                    "load: %d live; MemAvailable %d → %d MiB (%d MiB per sandbox); QEMU RSS %d MiB in all"
                            + " (%d per sandbox); load %s%n",
                    ids.size(),
                    memBefore,
                    memAfter,
                    (memBefore - memAfter) / Math.max(1, ids.size()),
                    qemuRss,
                    qemuRss / Math.max(1, ids.size()),
                    loadAverage());
            Latencies v1Single = single("v1 single", i -> api.run("v1 exec", ids.get(0), "echo " + i), ids);
            Latencies e2bSingle = session.proxyUrl() == null
                    ? null
                    : single(
                            "e2b single",
                            i -> EnvdExec.run(
                                    session.http(), session.proxyUrl(), ids.get(0), tokens.get(0), "echo " + i),
                            ids);
            Latencies v1 = concurrent("v1 concurrent", i -> api.run("v1 exec", ids.get(i % ids.size()), "echo " + i));
            Latencies e2b = session.proxyUrl() == null
                    ? null
                    : concurrent(
                            "e2b concurrent",
                            i -> EnvdExec.run(
                                    session.http(),
                                    session.proxyUrl(),
                                    ids.get(i % ids.size()),
                                    tokens.get(i % ids.size()),
                                    "echo " + i));
            out.println();
            out.printf("load: %d sandboxes live at once, %d execs per route%n", ids.size(), execs);
            out.println("  /v1 exec        single: " + v1Single + "   concurrent: " + v1);
            out.println("  E2B proxy envd  single: " + e2bSingle + "   concurrent: " + e2b);
            out.printf(
                    "  host: MemAvailable %d → %d MiB, QEMU RSS %d MiB (%d per sandbox), load %s%n",
                    memBefore, memAfter, qemuRss, qemuRss / Math.max(1, ids.size()), loadAverage());
        } catch (CampaignFailure f) {
            steps.failed(f.step(), f.getMessage());
        } finally {
            for (String id : ids) {
                try {
                    steps.run("destroy", () -> api.destroy(id));
                } catch (CampaignFailure f) {
                    steps.failed(f.step(), f.getMessage());
                }
            }
        }
        List<String> left = session.leftovers().findSettled(api, made, 15);
        steps.print(out);
        out.println("  leftovers: " + (left.isEmpty() ? "none" : ""));
        left.forEach(l -> out.println("    " + l));
        return steps.failures() == 0 && left.isEmpty() ? 0 : 1;
    }

    interface Exec {
        String run(int i);
    }

    private Latencies single(String step, Exec exec, List<String> ids) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < singles; i++) {
            long start = System.nanoTime();
            String got = exec.run(i);
            double took = (System.nanoTime() - start) / 1e6;
            Soak.expect(step, got, Integer.toString(i));
            steps.ok(step, took);
            ms.add(took);
        }
        return Latencies.of(ms);
    }

    /** All execs start together (virtual threads behind one latch); each failure is counted, none stops the rest. */
    private Latencies concurrent(String step, Exec exec) throws InterruptedException {
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger failed = new AtomicInteger();
        long wallStart;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < execs; i++) {
                int n = i;
                futures.add(threads.submit(() -> {
                    go.await();
                    long start = System.nanoTime();
                    try {
                        Soak.expect(step, exec.run(n), Integer.toString(n));
                        double took = (System.nanoTime() - start) / 1e6;
                        steps.ok(step, took);
                        ms.add(took);
                    } catch (CampaignFailure f) {
                        failed.incrementAndGet();
                        steps.failed(step, "exec " + n + ": " + f.getMessage());
                    }
                    return null;
                }));
            }
            wallStart = System.nanoTime();
            go.countDown();
        }
        out.printf(
                "load: %s: %d ok, %d failed in %.1f s%n",
                step, ms.size(), failed.get(), (System.nanoTime() - wallStart) / 1e9);
        return Latencies.of(ms);
    }

    static long memAvailableMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** The summed RSS of the QEMU processes under {@code pid} (the scratch wrenn up); 0 when unknown. */
    static long qemuRssMib(long pid) {
        if (pid == 0) {
            return 0;
        }
        return ProcessHandle.of(pid)
                        .map(h -> h.descendants()
                                .filter(c -> c.info().command().orElse("").contains("qemu"))
                                .mapToLong(c -> rssKib(c.pid()))
                                .sum())
                        .orElse(0L)
                / 1024;
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
        return 0;
    }

    @Override
    public void interrupted() {
        steps.print(out);
    }
}
