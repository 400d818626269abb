package dev.wrenn.launcher.campaigns;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ./wrenn integrity --cycles N --size-mib S}: a sandbox holds S MiB of random bytes in memory (a file in
 * {@code /dev/shm}, a tmpfs: guest RAM) and S MiB on its disk; N times it is paused and resumed and both hashes must
 * be unchanged. Then it is frozen into a template and two clones are made: each starts with the origin's bytes, but a
 * write in one clone (to disk and to memory) is seen neither in the other nor in the origin, and the three draw
 * different bytes from {@code /dev/urandom} and {@code /proc/sys/kernel/random/uuid} (the host agent's /init re-keys
 * each guest's generator with a fresh seed). Hashes are BLAKE2b ({@code b2sum}): the fastest of coreutils' sums
 * under TCG; this checks for corruption, not for an adversary.
 */
final class Integrity implements Campaigns.Campaign {
    static final Set<String> FLAGS = Set.of("--cycles", "--size-mib", "--memory-mb");
    static final String USAGE = """
            Usage: wrenn integrity [--cycles N] [--size-mib S] [--memory-mb M] [options]   (as root)
              --cycles N         pause/resume cycles, both hashes checked after each       100
              --size-mib S       the in-memory buffer (/dev/shm) and the file on disk      256
              --memory-mb M      the sandbox's memory (/dev/shm is half of it)             2*S+512
            """ + CampaignOptions.COMMON_USAGE;

    private static final String MEM = "/dev/shm/integrity.mem";
    private static final String DISK = "/home/user/integrity.disk";

    private final Session session;
    private final PrintStream out;
    private final int cycles;
    private final int sizeMib;
    private final int memoryMb;
    private final StepTimes steps = new StepTimes();
    private final Set<String> made = ConcurrentHashMap.newKeySet();
    private final Map<String, String> randomness = new LinkedHashMap<>();
    private final List<String> findings = new ArrayList<>();
    private volatile int done;

    Integrity(Session session, CampaignOptions options, PrintStream out) {
        this.session = session;
        this.out = out;
        this.cycles = options.integer("--cycles", 100, 0, 1_000_000);
        this.sizeMib = options.integer("--size-mib", 256, 1, 16_384);
        this.memoryMb = options.integer("--memory-mb", Math.max(512, 2 * sizeMib + 512), 128, 65_536);
    }

    @Override
    public int run() throws InterruptedException {
        WrennApi api = session.api();
        out.printf(
                "integrity: %d cycles, %d MiB in /dev/shm and %d MiB on disk, sandbox of %d MB%n",
                cycles, sizeMib, sizeMib, memoryMb);
        String origin = null;
        String template = null;
        List<String> clones = new ArrayList<>();
        long started = System.nanoTime();
        try {
            String id = steps.time("create", () -> api.create("base", memoryMb));
            origin = id;
            made.add(id);
            steps.run(
                    "check /dev/shm",
                    () -> Soak.expect(
                            "check /dev/shm", api.run("check /dev/shm", id, "stat -f -c %T /dev/shm"), "tmpfs"));
            String[] hashes = steps.time("fill", () -> fill(api, id));
            out.printf(
                    "integrity: filled in %.0f s; memory %s, disk %s%n",
                    (System.nanoTime() - started) / 1e9, hashes[0], hashes[1]);
            for (int cycle = 1; cycle <= cycles; cycle++) {
                long cycleStart = System.nanoTime();
                steps.run("pause", () -> api.pause(id));
                steps.run("resume", () -> api.resume(id));
                int c = cycle;
                steps.run("hashes", () -> expectHashes("cycle " + c, api, id, hashes));
                done = cycle;
                out.printf("integrity: cycle %d/%d ok %.1f s%n", cycle, cycles, (System.nanoTime() - cycleStart) / 1e9);
            }
            String name = "integrity-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());
            steps.run("snapshot", () -> api.snapshot(id, name));
            template = name;
            for (String label : List.of("A", "B")) {
                String clone = steps.time("clone", () -> api.create(name, 0));
                clones.add(clone);
                made.add(clone);
            }
            steps.run("resume", () -> api.resume(id));
            checkClones(api, id, clones.get(0), clones.get(1), hashes);
        } catch (CampaignFailure f) {
            steps.failed(f.step(), f.getMessage());
        } finally {
            List<String> ids = new ArrayList<>(clones);
            if (origin != null) {
                ids.add(origin);
            }
            for (String id : ids) {
                try {
                    steps.run("destroy", () -> api.destroy(id));
                } catch (CampaignFailure f) {
                    steps.failed(f.step(), f.getMessage());
                }
            }
            if (template != null) {
                String name = template;
                try {
                    steps.run("delete template", () -> api.deleteSnapshot(name));
                } catch (CampaignFailure f) {
                    steps.failed(f.step(), f.getMessage());
                }
            }
        }
        List<String> left = session.leftovers().findSettled(api, made, 15);
        report(left, (System.nanoTime() - started) / 1e9);
        return steps.failures() == 0 && findings.isEmpty() && left.isEmpty() ? 0 : 1;
    }

    /** Writes both buffers and answers their hashes (memory, disk). */
    private String[] fill(WrennApi api, String id) {
        String out = api.run(
                "fill",
                id,
                "set -e; head -c %dM /dev/urandom > %s; head -c %dM /dev/urandom > %s; sync; b2sum %s %s | cut -d' ' -f1"
                        .formatted(sizeMib, MEM, sizeMib, DISK, MEM, DISK));
        String[] lines = out.split("\\s+");
        if (lines.length != 2) {
            throw new CampaignFailure("fill", "expected two hashes, got `" + WrennApi.snippet(out) + "`");
        }
        return lines;
    }

    private static String[] hashes(WrennApi api, String id) {
        return api.run("hashes", id, "b2sum %s %s | cut -d' ' -f1".formatted(MEM, DISK))
                .split("\\s+");
    }

    private static void expectHashes(String when, WrennApi api, String id, String[] expected) {
        String[] now = hashes(api, id);
        if (now.length != 2 || !now[0].equals(expected[0]) || !now[1].equals(expected[1])) {
            throw new CampaignFailure(
                    "hashes",
                    when + " in " + id + ": memory " + (now.length > 0 ? now[0] : "?") + ", disk "
                            + (now.length > 1 ? now[1] : "?") + "; expected " + expected[0] + ", " + expected[1]);
        }
    }

    private void checkClones(WrennApi api, String origin, String a, String b, String[] hashes) {
        // Each clone starts with the origin's bytes, in memory and on disk.
        steps.run("clone hashes", () -> {
            expectHashes("clone A", api, a, hashes);
            expectHashes("clone B", api, b, hashes);
        });
        // A write in one clone, to memory and to disk, is seen nowhere else.
        steps.run("clone writes", () -> {
            for (String[] pair : new String[][] {{a, "A"}, {b, "B"}}) {
                api.run(
                        "clone writes",
                        pair[0],
                        ("set -e; echo %1$s > /home/user/written-by-%1$s;"
                                        + " echo %1$s > /dev/shm/written-by-%1$s;"
                                        + " printf %1$s | dd of=%2$s bs=1 seek=4096 conv=notrunc status=none")
                                .formatted(pair[1], DISK));
            }
            Map<String, String> who = new LinkedHashMap<>();
            who.put(origin, "origin");
            who.put(a, "A");
            who.put(b, "B");
            for (var entry : who.entrySet()) {
                String seen = api.run(
                        "clone writes",
                        entry.getKey(),
                        "ls /home/user/written-by-* /dev/shm/written-by-* 2>/dev/null | sort | tr '\\n' ' '; true");
                String expected = entry.getValue().equals("origin")
                        ? ""
                        : "/dev/shm/written-by-%1$s /home/user/written-by-%1$s".formatted(entry.getValue());
                if (!seen.strip().equals(expected)) {
                    findings.add("writes shared: " + entry.getValue() + " (" + entry.getKey() + ") sees `"
                            + seen.strip() + "`, expected `" + expected + "`");
                }
            }
            expectHashes("origin after the clones wrote", api, origin, hashes);
            String diskA = api.run("clone writes", a, "b2sum " + DISK + " | cut -d' ' -f1");
            String diskB = api.run("clone writes", b, "b2sum " + DISK + " | cut -d' ' -f1");
            if (diskA.equals(hashes[1]) || diskB.equals(hashes[1]) || diskA.equals(diskB)) {
                findings.add("a clone's disk write did not change its own disk alone: origin " + hashes[1] + ", A "
                        + diskA + ", B " + diskB);
            }
        });
        // Random state: each guest draws its own bytes after /init re-keyed it.
        steps.run("clone randomness", () -> {
            Map<String, String> seen = new LinkedHashMap<>();
            for (String[] pair : new String[][] {{origin, "origin"}, {a, "A"}, {b, "B"}}) {
                String draw = api.run(
                        "clone randomness",
                        pair[0],
                        "head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n';"
                                + " echo; cat /proc/sys/kernel/random/uuid; cat /proc/sys/kernel/random/boot_id");
                String[] parts = draw.split("\\s+");
                if (parts.length != 3) {
                    throw new CampaignFailure("clone randomness", "unexpected output `" + WrennApi.snippet(draw) + "`");
                }
                randomness.put(pair[1], draw.replaceAll("\\s+", " "));
                for (int i = 0; i < 2; i++) {
                    String value = parts[i];
                    String other = seen.putIfAbsent((i == 0 ? "urandom:" : "uuid:") + value, pair[1]);
                    if (other != null) {
                        findings.add("random state shared: " + pair[1] + " and " + other + " drew the same "
                                + (i == 0 ? "/dev/urandom bytes" : "random uuid") + " " + value);
                    }
                }
            }
        });
    }

    @Override
    public void interrupted() {
        if (done < cycles) {
            out.println("integrity: stopped early after " + done + " of " + cycles + " cycles");
            steps.print(out);
        }
    }

    private void report(List<String> left, double seconds) {
        out.println();
        out.printf(
                "integrity: %d of %d pause/resume cycles with both hashes unchanged, %.0f s%n", done, cycles, seconds);
        steps.print(out);
        out.println("  random draws (urandom, uuid, boot_id) per guest:");
        randomness.forEach((who, draw) -> out.println("    " + who + ": " + draw));
        out.println("  findings: " + (findings.isEmpty() ? "none" : ""));
        findings.forEach(f -> out.println("    " + f));
        out.println("  leftovers: " + (left.isEmpty() ? "none" : ""));
        left.forEach(l -> out.println("    " + l));
        out.flush();
    }
}
