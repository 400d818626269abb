package dev.wrenn.bench;

import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxLimits;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.SandboxRequest;
import dev.wrenn.host.sandbox.SandboxSummary;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The host agent's benchmark: cold sandbox create from the real image (forced cold, so a data directory that already
 * holds base templates gives the same figures as a fresh one), split into phases by the serial console's markers,
 * beside a bare QEMU boot of the same kernel and initramfs in the same run; a plain create of {@code base} (a clone of
 * its base template); and QEMU's resident memory per idle clone beyond the guest's own pages. Usage: {@code HostAgentBench [data dir] [runs]}, as root. It uses
 * network slots 300-303 and its own sandbox ids, and never sweeps, so an agent running on the same data directory
 * is left alone.
 */
public final class HostAgentBench {
    private static final String INITRAMFS = "wrenn-initramfs: started";
    private static final String INIT = "wrenn-init: started";
    private static final String AGENT = "wrenn-init: agent started";
    private static final Duration IDLE = Duration.ofSeconds(5);

    private final DataDir dataDir;
    private final GuestImage image;
    private final Accel accel;
    private final long tscKhz = HostCpu.tscKhz();
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();

    private HostAgentBench(DataDir dataDir) {
        this.dataDir = dataDir;
        this.image = new ImageStore(dataDir.images()).resolve("base");
        this.accel =
                new AccelProbe(image.kernel(), dataDir.root(), AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
    }

    public static void main(String[] args) throws Exception {
        DataDir dataDir = new DataDir(Path.of(args.length > 0 ? args[0] : "/var/lib/wrenn"));
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        new HostAgentBench(dataDir).run(runs);
    }

    private void run(int runs) throws Exception {
        try (SandboxManager manager = manager()) {
            for (int i = 0; i < runs; i++) {
                bareBoot(i);
                coldCreate(manager, "bench-%02d".formatted(i));
            }
        }
        print(runs);
    }

    private void coldCreate(SandboxManager manager, String id) throws Exception {
        Path console = dataDir.sandbox(id).resolve("console.log");
        long start;
        long ready;
        try (ConsoleMarkers markers = ConsoleMarkers.watch(console, List.of(INITRAMFS, INIT, AGENT))) {
            start = System.nanoTime();
            // Cold, whatever base templates the data directory already holds: a plain create would clone one and
            // the console would never show a boot's markers.
            manager.createColdBoot(new SandboxRequest(id, "base", 1, 512, 0));
            ready = System.nanoTime();
            record("cold create: request → guest agent ready (/health 204)", ready - start);
            record("  network, disk overlay, QEMU start (→ console opened)", markers.at(ConsoleMarkers.FILE) - start);
            record("  kernel (→ initramfs /init runs)", markers.at(INITRAMFS) - markers.at(ConsoleMarkers.FILE));
            record("  initramfs: modules, root disk mount (→ wrenn-init)", markers.at(INIT) - markers.at(INITRAMFS));
            record("  wrenn-init: network, hostname (→ agent launched)", markers.at(AGENT) - markers.at(INIT));
            record("  guest agent JVM start (→ /health 204)", ready - markers.at(AGENT));
        }
        manager.destroy(id);
        baseCreate(manager, id);
    }

    /** A plain create of {@code base}: a clone of the base template (made once, before the first run, if missing). */
    private void baseCreate(SandboxManager manager, String id) throws Exception {
        manager.prewarmBase(1, 512);
        long start = System.nanoTime();
        SandboxSummary clone = manager.create(new SandboxRequest(id, "base", 1, 512, 0));
        record("create from base (clone of " + clone.clonedFrom() + ") → guest agent ready", System.nanoTime() - start);
        Thread.sleep(IDLE);
        QemuMemory memory = QemuMemory.of(qemuPid(id));
        recordKib("QEMU RSS of an idle 512 MiB sandbox (a clone of base)", memory.totalKib());
        recordKib("  guest RAM pages touched (memory.ram mapping)", memory.guestRamKib());
        recordKib("  QEMU's own (RSS − guest RAM)", memory.ownKib());
        manager.destroy(id);
    }

    /** The floor: the same QEMU command line, kernel and initramfs, no disk or network, until /init runs. */
    private void bareBoot(int run) throws Exception {
        Path dir = Files.createTempDirectory("wrenn-bench-bare-");
        VmSpec spec =
                new VmSpec("bench-bare-" + run, image.kernel(), image.initramfs(), null, 1, 512, dir, null, null, "");
        QemuMicrovm vm = new QemuMicrovm(spec, accel, tscKhz);
        try (ConsoleMarkers markers = ConsoleMarkers.watch(spec.consoleLog(), List.of(INITRAMFS))) {
            long start = System.nanoTime();
            vm.start();
            while (!markers.seen(INITRAMFS)
                    && System.nanoTime() - start < Duration.ofSeconds(60).toNanos()) {
                Thread.sleep(1);
            }
            record("floor: bare QEMU boot, same kernel + initramfs (→ /init runs)", markers.at(INITRAMFS) - start);
        } finally {
            vm.stop(Duration.ofSeconds(2));
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private long qemuPid(String id) {
        String dir = dataDir.sandbox(id) + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(a -> a.contains(dir)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no QEMU process for " + id))
                .pid();
    }

    private SandboxManager manager() {
        return new SandboxManager(
                dataDir,
                new SlotAllocator(new SlotRange(300, 4)),
                new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated()),
                new dev.wrenn.host.storage.QemuImg(),
                spec -> new QemuMicrovm(spec, accel, tscKhz),
                new EnvdHealth(),
                Duration.ofSeconds(180),
                new ImageStore(dataDir.images()),
                SandboxLimits.NONE);
    }

    private void record(String figure, long nanos) {
        figures.computeIfAbsent(figure, k -> new ArrayList<>()).add(nanos / 1e6);
    }

    private void recordKib(String figure, long kib) {
        figures.computeIfAbsent(figure + " [MiB]", k -> new ArrayList<>()).add(kib / 1024.0);
    }

    private void print(int runs) {
        System.out.printf(
                Locale.ROOT,
                "%nHost agent, %s, 1 vCPU, 512 MiB, %d runs, load average now %s%n%n",
                accel,
                runs,
                loadAverage());
        System.out.println("| figure | median | min | max |");
        System.out.println("|---|---|---|---|");
        figures.forEach((figure, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            String unit = figure.endsWith("[MiB]") ? " MiB" : " ms";
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.0f%s | %.0f%s | %.0f%s |%n",
                    figure.replace(" [MiB]", ""),
                    sorted.get(sorted.size() / 2),
                    unit,
                    sorted.getFirst(),
                    unit,
                    sorted.getLast(),
                    unit);
        });
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
