package dev.wrenn.launcher.campaigns;

import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ./wrenn soak --cycles N}: N times, through the API, create → exec → upload, checksum in the guest,
 * download → pause → resume (checksum again) → snapshot into a template → clone (a create from that template,
 * checksum there) → destroy both and the template. Per-step failures are counted and the cycle cleaned up; the
 * fds, threads and RSS of the process holding the host agent and control plane are sampled after every cycle.
 * Fails (exit 1) on any failed step, any leftover, or clear growth between the first (warm) cycle and the last.
 */
final class Soak implements Campaigns.Campaign {
    static final Set<String> FLAGS = Set.of("--cycles", "--file-kib");
    static final String USAGE = """
            Usage: wrenn soak [--cycles N] [--file-kib K] [options]   (as root)
              --cycles N         create → exec → upload/download → pause → resume → snapshot → clone → destroy,
                                 N times                                                   20
              --file-kib K       the uploaded file's size                                  1024
            """ + CampaignOptions.COMMON_USAGE;

    /** Growth between the warm sample and the end that fails the soak: a leak, not the JVM's own breathing. */
    static final long FD_GROWTH = 10;

    static final long THREAD_GROWTH = 10;
    static final double RSS_GROWTH = 0.25;
    static final long RSS_SLACK_MIB = 64;

    private final Session session;
    private final PrintStream out;
    private final int cycles;
    private final int fileBytes;
    private final StepTimes steps = new StepTimes();
    private final Set<String> made = ConcurrentHashMap.newKeySet();
    private final List<ProcessStats> samples = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final String runTag =
            HexFormat.of().toHexDigits(new SecureRandom().nextInt()).substring(0, 6);
    private volatile int done;
    private volatile int failedCycles;
    /** Set on SIGTERM: the scratch wrenn up is being stopped, so no further cycle starts (they could only fail). */
    private volatile boolean stopping;

    private final long startNanos = System.nanoTime();

    Soak(Session session, CampaignOptions options, PrintStream out) {
        this.session = session;
        this.out = out;
        this.cycles = options.integer("--cycles", 20, 1, 10_000_000);
        this.fileBytes = options.integer("--file-kib", 1024, 1, 1024 * 1024) * 1024;
    }

    /** @return the exit status: 0 when every step passed, nothing was left and nothing grew */
    @Override
    public int run() throws InterruptedException {
        ProcessStats start = session.stats();
        out.println("soak: " + cycles + " cycles, " + fileBytes / 1024 + " KiB file; start: " + show(start));
        for (int cycle = 1; cycle <= cycles; cycle++) {
            if (stopping) {
                break;
            }
            if (!session.alive()) {
                steps.failed("wrenn up", "the scratch ./wrenn up exited during cycle " + cycle);
                break;
            }
            long cycleStart = System.nanoTime();
            boolean ok = cycle(cycle);
            if (stopping) {
                break; // a cycle cut by the stop is not counted
            }
            if (!ok) {
                failedCycles++;
            }
            done = cycle;
            ProcessStats now = session.stats();
            synchronized (samples) {
                samples.add(now);
            }
            out.printf(
                    "soak: cycle %d/%d %s %.1f s | %s%n",
                    cycle, cycles, ok ? "ok" : "FAILED", (System.nanoTime() - cycleStart) / 1e9, show(now));
        }
        return finish(start);
    }

    private boolean cycle(int cycle) {
        WrennApi api = session.api();
        String origin = null;
        String clone = null;
        String template = null;
        try {
            String a = steps.time("create", () -> api.create("base", 0));
            origin = a;
            made.add(a);
            steps.run("exec", () -> expect("exec", api.run("exec", a, "echo soak " + cycle), "soak " + cycle));
            byte[] data = new byte[fileBytes];
            random.nextBytes(data);
            String sha = sha256(data);
            String path = "/home/user/soak-" + cycle + ".bin";
            steps.run("upload", () -> api.upload("upload", a, path, data));
            steps.run("checksum in guest", () -> expect("checksum in guest", guestSha(api, a, path), sha));
            steps.run("download", () -> expect("download", sha256(api.download("download", a, path)), sha));
            steps.run("pause", () -> api.pause(a));
            steps.run("resume", () -> api.resume(a));
            steps.run("checksum after resume", () -> expect("checksum after resume", guestSha(api, a, path), sha));
            String name = "soak-" + runTag + "-" + cycle;
            steps.run("snapshot", () -> api.snapshot(a, name));
            template = name;
            String b = steps.time("clone", () -> api.create(name, 0));
            clone = b;
            made.add(b);
            steps.run("checksum in clone", () -> expect("checksum in clone", guestSha(api, b, path), sha));
            steps.run("destroy", () -> {
                api.destroy(b);
                api.destroy(a);
            });
            clone = null;
            origin = null;
            steps.run("delete template", () -> api.deleteSnapshot(name));
            template = null;
            return true;
        } catch (CampaignFailure f) {
            steps.failed(f.step(), "cycle " + cycle + ": " + f.getMessage());
            cleanUp(api, clone, origin, template);
            return false;
        }
    }

    /** After a failed step: what the cycle made goes, so that one failure does not pile up into leftovers. */
    private void cleanUp(WrennApi api, String clone, String origin, String template) {
        for (String id : new String[] {clone, origin}) {
            if (id != null) {
                try {
                    api.destroy(id);
                } catch (CampaignFailure e) {
                    steps.failed("clean-up destroy", e.getMessage());
                }
            }
        }
        if (template != null) {
            try {
                api.deleteSnapshot(template);
            } catch (CampaignFailure e) {
                steps.failed("clean-up delete template", e.getMessage());
            }
        }
    }

    private int finish(ProcessStats start) throws InterruptedException {
        List<String> left = session.leftovers().findSettled(session.api(), made, 15);
        ProcessStats end = session.stats();
        List<String> growth = growth(start, end);
        report(start, end, left, growth);
        return steps.failures() == 0 && left.isEmpty() && growth.isEmpty() && done == cycles ? 0 : 1;
    }

    /** Called from the shutdown hook when the soak is stopped early (SIGTERM, Ctrl-C): the figures so far. */
    @Override
    public void interrupted() {
        stopping = true;
        if (done < cycles) {
            out.println("soak: stopped early after " + done + " of " + cycles + " cycles");
            ProcessStats now;
            try {
                now = session.stats();
            } catch (CampaignFailure e) {
                now = null;
            }
            report(
                    samples.isEmpty() ? null : samples.getFirst(),
                    now,
                    List.of("(not checked: stopped early)"),
                    List.of());
        }
    }

    private List<String> growth(ProcessStats start, ProcessStats end) {
        List<String> growth = new ArrayList<>();
        ProcessStats warm;
        synchronized (samples) {
            warm = samples.isEmpty() ? start : samples.getFirst();
        }
        if (warm == null || end == null) {
            return growth;
        }
        if (end.fds() - warm.fds() > FD_GROWTH) {
            growth.add("file descriptors grew " + warm.fds() + " → " + end.fds());
        }
        if (end.threads() - warm.threads() > THREAD_GROWTH) {
            growth.add("threads grew " + warm.threads() + " → " + end.threads());
        }
        if (end.rssMib() > warm.rssMib() * (1 + RSS_GROWTH) + RSS_SLACK_MIB) {
            growth.add("RSS grew " + warm.rssMib() + " → " + end.rssMib() + " MiB");
        }
        return growth;
    }

    private synchronized void report(ProcessStats start, ProcessStats end, List<String> left, List<String> growth) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.println();
        out.printf(
                "soak: %d of %d cycles run, %d failed, %.0f s (%.1f s per cycle)%n",
                done, cycles, failedCycles, seconds, done == 0 ? 0 : seconds / done);
        steps.print(out);
        List<ProcessStats> sampled;
        synchronized (samples) {
            sampled = List.copyOf(samples);
        }
        out.println("  process " + session.pid() + " (host agent + control plane):");
        out.println("    start:            " + show(start));
        out.println("    after cycle 1:    " + show(sampled.isEmpty() ? null : sampled.getFirst()));
        out.println("    end:              " + show(end));
        if (!sampled.isEmpty()) {
            out.printf(
                    "    range over %d samples: fds %d..%d, threads %d..%d, RSS %d..%d MiB%n",
                    sampled.size(),
                    sampled.stream().mapToLong(ProcessStats::fds).min().orElse(0),
                    sampled.stream().mapToLong(ProcessStats::fds).max().orElse(0),
                    sampled.stream().mapToLong(ProcessStats::threads).min().orElse(0),
                    sampled.stream().mapToLong(ProcessStats::threads).max().orElse(0),
                    sampled.stream().mapToLong(ProcessStats::rssMib).min().orElse(0),
                    sampled.stream().mapToLong(ProcessStats::rssMib).max().orElse(0));
        }
        out.println("  leftovers: " + (left.isEmpty() ? "none" : ""));
        left.forEach(l -> out.println("    " + l));
        out.println("  growth: " + (growth.isEmpty() ? "none beyond the limits" : ""));
        growth.forEach(g -> out.println("    " + g));
        out.flush();
    }

    private static String show(ProcessStats stats) {
        return stats == null ? "(no process to sample)" : stats.toString();
    }

    static String guestSha(WrennApi api, String id, String path) {
        return api.run("checksum", id, "sha256sum " + path + " | cut -d' ' -f1");
    }

    static void expect(String step, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new CampaignFailure(step, "got `" + WrennApi.snippet(actual) + "`, expected `" + expected + "`");
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
