package dev.wrenn.host.snapshot;

import dev.wrenn.host.net.Slot;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures, not assertions: pause, resume and clone latency through Wrenn's classes beside the bare QMP sequence
 * (same VM, same run), and host memory per idle clone. Run with
 * {@code ./mvnw -q -B -pl host-agent -am test -Dtest=SnapshotBenchmark -Dwrenn.bench=true}.
 */
@EnabledIfSystemProperty(named = "wrenn.bench", matches = "true")
class SnapshotBenchmark {
    private static final Logger log = LoggerFactory.getLogger(SnapshotBenchmark.class);
    private static final int RUNS = 5;
    private static final int CLONES = Integer.getInteger("wrenn.bench.clones", 10);

    @TempDir
    Path data;

    private GuestVms vms;

    @AfterEach
    void cleanUp() {
        if (vms != null) {
            vms.close();
        }
    }

    @Test
    void pauseAndResumeBesideTheBareQmpSequence() throws Exception {
        vms = new GuestVms(data);
        Slot slot = vms.slot(32430);
        RestoredVm running = vms.boot("sb-bench", slot);
        long[] pause = new long[RUNS], resume = new long[RUNS], barePause = new long[RUNS], bareResume = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            new Pauser(vms.store).pause("sb-bench", running.vm(), running.spec());
            pause[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            running = new Resumer(vms.store, vms.vmms).resume("sb-bench", vms.placement("sb-bench", slot));
            vms.awaitAnswer(slot, "/health", running.spec());
            resume[i] = System.nanoTime() - t0;

            Path state = running.spec().vmDir().resolve("bare.state");
            t0 = System.nanoTime();
            barePause(((QemuMicrovm) running.vm()).qmp(), state);
            running.vm().stop(Duration.ofSeconds(5));
            barePause[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            running = bareRestore(running.spec(), state, true);
            vms.awaitAnswer(slot, "/health", running.spec());
            bareResume[i] = System.nanoTime() - t0;
        }
        log.info("pause: wrenn {} | bare QMP {}", stats(pause), stats(barePause));
        log.info("resume to HTTP answer: wrenn {} | bare QMP {}", stats(resume), stats(bareResume));
    }

    @Test
    void cloneLatencyAndHostMemoryPerIdleClone() throws Exception {
        vms = new GuestVms(data);
        Slot source = vms.slot(32431);
        RestoredVm running = vms.boot("sb-tpl", source);
        new Pauser(vms.store).pause("sb-tpl", running.vm(), running.spec());
        Snapshot template = new TemplateMaker(vms.store, vms.qemuImg).fromPaused("sb-tpl", "bench");
        Cloner cloner = new Cloner(vms.store, vms.vmms, vms.qemuImg);
        long[] clone = new long[RUNS], bare = new long[RUNS];
        List<RestoredVm> clones = new ArrayList<>();
        for (int i = 0; i < CLONES; i++) {
            Slot slot = vms.slot(32440 + i);
            long t0 = System.nanoTime();
            RestoredVm vm = cloner.clone("bench", vms.placement("sb-clone-" + i, slot));
            vms.awaitAnswer(slot, "/health", vm.spec());
            if (i < RUNS) {
                clone[i] = System.nanoTime() - t0;
            }
            clones.add(vm);
        }
        for (int i = 0; i < RUNS; i++) {
            Slot slot = vms.slot(32460 + i);
            VmPlacement where = vms.placement("sb-bare-" + i, slot);
            long t0 = System.nanoTime();
            Files.createDirectories(where.vmDir());
            vms.qemuImg.createOverlay(template.files().disk(), "qcow2", where.disk());
            VmSpec spec = template.meta()
                    .spec(where, where.disk())
                    .withRam(template.files().ram(), MemorySharing.PRIVATE);
            RestoredVm vm = bareRestore(spec, template.files().state(), true);
            vms.awaitAnswer(slot, "/health", spec);
            bare[i] = System.nanoTime() - t0;
            vm.vm().stop(Duration.ofSeconds(5));
        }
        log.info("clone to HTTP answer: wrenn {} | bare (qemu-img + QMP) {}", stats(clone), stats(bare));
        Thread.sleep(5000); // let the clones settle into idle
        for (RestoredVm vm : clones) {
            log.info(
                    "clone {} pid {}: process {} ; guest RAM mapping {}",
                    vm.spec().name(),
                    vm.vm().pid(),
                    memory(vm.vm().pid()),
                    ramMapping(vm.vm().pid(), template.files().ram()));
        }
    }

    /** The raw pause sequence from the QEMU notes, no Wrenn code around it. */
    private static void barePause(QmpClient qmp, Path state) throws InterruptedException {
        qmp.execute(
                "migrate-set-capabilities",
                Map.of("capabilities", List.of(Map.of("capability", "x-ignore-shared", "state", true))));
        qmp.execute("stop");
        qmp.execute("migrate", Map.of("uri", "exec:cat > " + state));
        awaitCompleted(qmp);
    }

    /** The raw restore: QEMU with -incoming defer, capabilities, migrate-incoming, poll, cont. */
    private RestoredVm bareRestore(VmSpec spec, Path state, boolean ignoreShared) throws InterruptedException {
        VmSpec incoming = spec.asIncoming();
        QemuMicrovm vm = (QemuMicrovm) vms.vmms.create(incoming);
        vm.start();
        QmpClient qmp = vm.qmp();
        qmp.execute(
                "migrate-set-capabilities",
                Map.of("capabilities", List.of(Map.of("capability", "x-ignore-shared", "state", ignoreShared))));
        qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + state));
        awaitCompleted(qmp);
        qmp.execute("cont");
        return new RestoredVm(vm, spec);
    }

    private static void awaitCompleted(QmpClient qmp) throws InterruptedException {
        while (!qmp.execute("query-migrate").path("status").asText().equals("completed")) {
            Thread.sleep(2);
        }
    }

    /** Pss and Private_Dirty of a process: what one more clone costs the host. */
    private static String memory(long pid) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"));
        return lines.stream()
                .filter(l -> l.startsWith("Rss:")
                        || l.startsWith("Pss:")
                        || l.startsWith("Private_Dirty:")
                        || l.startsWith("Shared_Clean:")
                        || l.startsWith("Private_Clean:"))
                .map(l -> l.replaceAll("\\s+", " "))
                .toList()
                .toString();
    }

    /** The same counters for the template RAM mapping alone, separating guest pages from QEMU's own (TCG cache). */
    private static String ramMapping(long pid, Path ram) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/smaps"));
        List<String> picked = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                inside = line.endsWith(ram.toString());
            } else if (inside
                    && (line.startsWith("Rss:")
                            || line.startsWith("Pss:")
                            || line.startsWith("Private_Dirty:")
                            || line.startsWith("Shared_Clean:"))) {
                picked.add(line.replaceAll("\\s+", " "));
            }
        }
        return picked.toString();
    }

    private static String stats(long[] nanos) {
        long[] ms = Arrays.stream(nanos).map(n -> n / 1_000_000).sorted().toArray();
        return "median %d ms (min %d, max %d, n=%d)".formatted(ms[ms.length / 2], ms[0], ms[ms.length - 1], ms.length);
    }
}
