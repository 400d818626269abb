package dev.wrenn.host.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.SandboxRequest;
import dev.wrenn.host.sandbox.SandboxSummary;
import dev.wrenn.host.snapshot.SnapshotMeta;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.testing.RealSandboxes;
import dev.wrenn.host.testing.RealSnapshotHost;
import dev.wrenn.host.vmm.MemorySharing;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import dev.wrenn.host.vmm.qemu.QmpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Figures, not assertions, for the real image under the probed accelerator: pause, resume (request to the guest
 * agent answering and re-initialized) and create from a template (clone + /init), each beside the bare QEMU floor
 * measured in the same run on the same files (the QMP migrate / -incoming sequences with nothing of Wrenn around
 * them, answering the same /health poller); then the unique host memory of idle clones of one template. Prints a
 * Markdown table. Not part of the suite (the name does not match surefire's patterns); run it with
 * {@code ./mvnw -q -B -pl host-agent -am test -Dtest=SnapshotLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dwrenn.bench.runs=N}, default 5; {@code -Dwrenn.bench.clones=N}, default 10).
 */
class SnapshotLatencyBenchmark {
    private static final int RUNS = Integer.getInteger("wrenn.bench.runs", 5);
    private static final int CLONES = Integer.getInteger("wrenn.bench.clones", 10);
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** The last slot of the test range: the manager allocates from the lowest, the bare VM lives here. */
    private static final Slot BARE_SLOT = new Slot(RealSnapshotHost.SLOTS.last());

    private final EnvdHealth health = new EnvdHealth();
    private final SandboxNetwork network = new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated());
    private final QemuImg qemuImg = new QemuImg();
    private DataDir dataDir;
    private long tscKhz;

    @Test
    void pauseResumeAndCreateFromATemplateBesideTheBareQemuFloor() throws Exception {
        dataDir = RealSnapshotHost.dataDir();
        RealSnapshotHost.sweep(dataDir);
        RealSnapshotHost.deleteSnapshots(dataDir);
        tscKhz = HostCpu.tscKhz();
        network.setUp(BARE_SLOT);
        try (EnvdClients guests = new EnvdClients();
                SandboxManager manager = RealSnapshotHost.manager(dataDir, guests)) {
            String id = manager.create(new SandboxRequest("sb-bench0001", "base", 1, 512, 0))
                    .sandboxId();
            long firstPause = timed(() -> manager.pause(id));
            long firstResume = timed(() -> manager.resume(id, 0));
            List<long[]> pauseResume = pauseAndResume(manager, id);
            manager.destroy(id);
            long[][] create = createFromTemplate(manager);
            List<String> memory = idleCloneMemory(manager);
            printTable(firstPause, firstResume, pauseResume, create, memory);
        } finally {
            network.tearDown(BARE_SLOT);
            RealSnapshotHost.sweep(dataDir);
        }
    }

    /** Rows: Wrenn pause, bare pause, Wrenn resume, bare resume; each RUNS long. */
    private List<long[]> pauseAndResume(SandboxManager manager, String id) throws Exception {
        long[] pause = new long[RUNS], resume = new long[RUNS], barePause = new long[RUNS], bareResume = new long[RUNS];
        manager.pause(id);
        Path bare = dataDir.root().resolve("bench-bare");
        Command.of("rm", "-rf", bare.toString()).run();
        Command.of(
                        "cp",
                        "-r",
                        "--sparse=always",
                        dataDir.root().resolve("snapshots/" + id).toString(),
                        bare.toString())
                .withTimeout(Duration.ofMinutes(5))
                .run();
        manager.resume(id, 0);
        SnapshotMeta meta =
                new ObjectMapper().readValue(bare.resolve("meta.json").toFile(), SnapshotMeta.class);
        VmSpec spec = spec(meta, "bench-bare", bare, bare.resolve("disk.qcow2"))
                .withRam(bare.resolve("ram"), MemorySharing.SHARED);
        Path state = bare.resolve("state");
        for (int i = 0; i < RUNS; i++) {
            pause[i] = timed(() -> manager.pause(id));
            resume[i] = timed(() -> manager.resume(id, 0));
            long t0 = System.nanoTime();
            QemuMicrovm vm = bareRestore(spec, state, true);
            bareResume[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            barePause(vm, state);
            barePause[i] = System.nanoTime() - t0;
        }
        Command.of("rm", "-rf", bare.toString()).run();
        return List.of(pause, barePause, resume, bareResume);
    }

    /** Row 0: Wrenn create of {@code base} (a clone + /init); row 1: the bare clone floor on the same template. */
    private long[][] createFromTemplate(SandboxManager manager) throws Exception {
        long[] wrenn = new long[RUNS], bare = new long[RUNS];
        String template = manager.create(new SandboxRequest("sb-warm0001", "base", 1, 512, 0))
                .clonedFrom();
        manager.destroy("sb-warm0001");
        Path templateDir = dataDir.root().resolve("templates/" + template);
        SnapshotMeta meta =
                new ObjectMapper().readValue(templateDir.resolve("meta.json").toFile(), SnapshotMeta.class);
        for (int i = 0; i < RUNS; i++) {
            String id = "sb-create%03d".formatted(i);
            wrenn[i] = timed(() -> manager.create(new SandboxRequest(id, "base", 1, 512, 0)));
            manager.destroy(id);
            Path dir = dataDir.sandboxes().resolve("bench-clone");
            long t0 = System.nanoTime();
            Files.createDirectories(dir);
            qemuImg.createOverlay(templateDir.resolve("disk.qcow2"), "qcow2", dir.resolve("disk.qcow2"));
            VmSpec spec = spec(meta, "bench-clone", dir, dir.resolve("disk.qcow2"))
                    .withRam(templateDir.resolve("ram"), MemorySharing.PRIVATE);
            QemuMicrovm vm = bareRestore(spec, templateDir.resolve("state"), true);
            bare[i] = System.nanoTime() - t0;
            vm.stop(Duration.ofSeconds(5));
            Command.of("rm", "-rf", dir.toString()).run();
        }
        return new long[][] {wrenn, bare};
    }

    /** Per clone: the QEMU process's unique memory (private pages, USS) and its proportional share (PSS). */
    private List<String> idleCloneMemory(SandboxManager manager) throws Exception {
        if (CLONES == 0) {
            return List.of();
        }
        long availableBefore = memAvailableKib();
        List<SandboxSummary> clones = new ArrayList<>();
        for (int i = 0; i < CLONES; i++) {
            clones.add(manager.create(new SandboxRequest("sb-idle%04d".formatted(i), "base", 1, 512, 0)));
        }
        Thread.sleep(10_000); // idle: let the guests settle
        long availableAfter = memAvailableKib();
        List<String> rows = new ArrayList<>();
        long ussTotal = 0;
        for (ProcessHandle qemu : qemusOf(dataDir)) {
            Map<String, Long> rollup = smapsRollup(qemu.pid());
            long uss = rollup.get("Private_Clean") + rollup.get("Private_Dirty");
            ussTotal += uss;
            long guestPrivate = privateInTemplateRam(qemu.pid());
            rows.add("| pid %d | %d MiB | %d MiB | %d MiB | %d MiB |"
                    .formatted(
                            qemu.pid(),
                            rollup.get("Rss") / 1024,
                            rollup.get("Pss") / 1024,
                            uss / 1024,
                            guestPrivate / 1024));
        }
        rows.add(
                "| **mean of %d clones** | | | **%d MiB** |".formatted(clones.size(), ussTotal / 1024 / clones.size()));
        rows.add("| host MemAvailable drop / clone | | | %d MiB |"
                .formatted((availableBefore - availableAfter) / 1024 / clones.size()));
        for (SandboxSummary clone : clones) {
            manager.destroy(clone.sandboxId());
        }
        return rows;
    }

    /** Private pages (copy-on-write copies the guest wrote) inside the mapping of a template RAM file, in KiB. */
    private static long privateInTemplateRam(long pid) throws Exception {
        long total = 0;
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                inside = line.contains("/templates/") && line.endsWith("/ram");
            } else if (inside && (line.startsWith("Private_Dirty:") || line.startsWith("Private_Clean:"))) {
                total += Long.parseLong(line.split("\\s+")[1]);
            }
        }
        return total;
    }

    private VmSpec spec(SnapshotMeta meta, String name, Path dir, Path disk) {
        return new VmSpec(
                name,
                Path.of(meta.kernel()),
                meta.initrd() == null ? null : Path.of(meta.initrd()),
                disk,
                meta.vcpus(),
                meta.memoryMib(),
                dir,
                BARE_SLOT.netns(),
                Slot.TAP_NAME,
                meta.extraKernelArgs());
    }

    /** QEMU with -incoming defer, x-ignore-shared, migrate-incoming, poll, cont; until the guest agent answers. */
    private QemuMicrovm bareRestore(VmSpec spec, Path state, boolean ignoreShared) throws InterruptedException {
        QemuMicrovm vm = new QemuMicrovm(spec.asIncoming(), RealSandboxes.accel(dataDir), tscKhz);
        vm.start();
        QmpClient qmp = vm.qmp();
        setIgnoreShared(qmp, ignoreShared);
        qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + state));
        awaitCompleted(qmp);
        qmp.execute("cont");
        health.await(BARE_SLOT.hostIp(), LIMIT);
        return vm;
    }

    /** stop, migrate device state to a file (x-ignore-shared), quit. */
    private static void barePause(QemuMicrovm vm, Path state) throws Exception {
        QmpClient qmp = vm.qmp();
        setIgnoreShared(qmp, true);
        qmp.execute("stop");
        Path next = state.resolveSibling("state.next");
        qmp.execute("migrate", Map.of("uri", "exec:cat > " + next));
        awaitCompleted(qmp);
        vm.stop(Duration.ofSeconds(5));
        Files.move(next, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void setIgnoreShared(QmpClient qmp, boolean on) {
        qmp.execute(
                "migrate-set-capabilities",
                Map.of("capabilities", List.of(Map.of("capability", "x-ignore-shared", "state", on))));
    }

    private static void awaitCompleted(QmpClient qmp) throws InterruptedException {
        while (!qmp.execute("query-migrate").path("status").asText().equals("completed")) {
            Thread.sleep(2);
        }
    }

    private static List<ProcessHandle> qemusOf(DataDir dataDir) {
        String root = dataDir.root() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(arg -> arg.contains(root)))
                .toList();
    }

    private static Map<String, Long> smapsRollup(long pid) throws Exception {
        Map<String, Long> values = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            String[] parts = line.split("\\s+");
            if (parts.length == 3 && parts[2].equals("kB")) {
                values.put(parts[0].replace(":", ""), Long.parseLong(parts[1]));
            }
        }
        return values;
    }

    private static long memAvailableKib() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemAvailable:"))
                .map(l -> Long.parseLong(l.split("\\s+")[1]))
                .findFirst()
                .orElseThrow();
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long timed(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return System.nanoTime() - t0;
    }

    private static String stats(long[] nanos) {
        long[] ms = Arrays.stream(nanos).map(n -> n / 1_000_000).sorted().toArray();
        return "%d ms (min %d, max %d)".formatted(ms[ms.length / 2], ms[0], ms[ms.length - 1]);
    }

    private static void printTable(
            long firstPause, long firstResume, List<long[]> pr, long[][] create, List<String> memory) {
        StringBuilder out =
                new StringBuilder("\n| step (median of " + RUNS + ") | Wrenn | bare QEMU floor |\n|---|---|---|\n");
        out.append("| pause | %s | %s |\n".formatted(stats(pr.get(0)), stats(pr.get(1))));
        out.append("| resume → guest agent answering | %s | %s |\n".formatted(stats(pr.get(2)), stats(pr.get(3))));
        out.append("| create from template (base) → answering | %s | %s |\n"
                .formatted(stats(create[0]), stats(create[1])));
        out.append("| first pause of a fresh clone (memory into the state file) | %d ms | |\n"
                .formatted(firstPause / 1_000_000));
        out.append("| first resume of a paused clone (memory from the state file) | %d ms | |\n"
                .formatted(firstResume / 1_000_000));
        out.append("\n| idle clone of base | Rss | Pss | unique (USS) | of which guest RAM written since the clone |\n"
                + "|---|---|---|---|---|\n");
        memory.forEach(row -> out.append(row).append('\n'));
        System.out.println(out);
    }
}
