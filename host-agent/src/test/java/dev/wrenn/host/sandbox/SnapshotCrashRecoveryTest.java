package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.snapshot.Pauser;
import dev.wrenn.host.snapshot.Resumer;
import dev.wrenn.host.snapshot.Snapshot;
import dev.wrenn.host.snapshot.SnapshotStore;
import dev.wrenn.host.snapshot.TemplateMaker;
import dev.wrenn.host.snapshot.VmPlacement;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.host.testing.FileVmm;
import dev.wrenn.host.vmm.MemorySharing;
import dev.wrenn.host.vmm.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The snapshot layer killed at every named point of every multi-file change, then the next start's sweep (everything
 * under {@code sandboxes/} removed) and recovery: each time the sandbox or template is in its old state or its new
 * one, whole, and nothing else is left. The VMM is {@link FileVmm}, so the whole matrix runs in a second; the same
 * points with real VMs and a real {@code kill -9}-like halt are {@code HostAgentCrashTest}.
 */
class SnapshotCrashRecoveryTest {
    private static final String ID = "sb-crash01";
    private static final String TEMPLATE = "tpl-crash";

    @TempDir
    Path data;

    private SnapshotStore store;
    private Pauser pauser;
    private Resumer resumer;
    private TemplateMaker maker;

    /** What recovery must leave: the sandbox paused (with which memory) or gone, and the template's memory or none. */
    record Expect(String pausedMemory, String templateMemory) {}

    record Case(String flow, String point, Expect expected) {
        @Override
        public String toString() {
            return flow + " killed at " + point;
        }
    }

    static Stream<Case> cases() {
        Expect pausedV1 = new Expect("mem", null);
        Expect lost = new Expect(null, null);
        Expect cloneOld = new Expect("tmpl", null);
        Expect cloneNew = new Expect("tmpl+ran", null);
        return Stream.of(
                new Case("pause", Pauser.CRASH_STATE_SAVED, lost),
                new Case("pause", Pauser.CRASH_VM_STOPPED, lost),
                new Case("pause", Pauser.CRASH_FILES_LINKED, lost),
                new Case("pause", Pauser.CRASH_COMMITTED, pausedV1),
                new Case("resume", Resumer.CRASH_FILES_LINKED, pausedV1),
                new Case("resume", Resumer.CRASH_STATE_LOADED, pausedV1),
                new Case("resume", Resumer.CRASH_UNCOMMITTED, lost),
                new Case("resume", Resumer.CRASH_RUNNING, lost),
                new Case("template", TemplateMaker.CRASH_COPIED, new Expect("mem", null)),
                new Case("template", TemplateMaker.CRASH_STAGED, new Expect("mem", null)),
                new Case("template", TemplateMaker.CRASH_PUBLISHED, new Expect("mem", "mem")),
                new Case("overwrite", TemplateMaker.CRASH_COPIED, new Expect("mem", "old")),
                new Case("overwrite", TemplateMaker.CRASH_STAGED, new Expect("mem", "old")),
                new Case("overwrite", TemplateMaker.CRASH_EXCHANGED, new Expect("mem", "mem")),
                new Case("overwrite", TemplateMaker.CRASH_PUBLISHED, new Expect("mem", "mem")),
                new Case("repause", Resumer.CRASH_FILES_LINKED, cloneOld),
                new Case("repause", Resumer.CRASH_STATE_LOADED, cloneOld),
                new Case("repause", Resumer.CRASH_RUNNING, cloneOld),
                new Case("repause", Pauser.CRASH_STATE_SAVED, cloneOld),
                new Case("repause", Pauser.CRASH_FILES_LINKED, cloneOld),
                new Case("repause", Pauser.CRASH_COMMITTED, cloneOld),
                new Case("repause", Pauser.CRASH_NEXT_COMMITTED, cloneOld),
                new Case("repause", Pauser.CRASH_REPLACED, cloneNew),
                new Case("destroy", SnapshotStore.CRASH_DELETE_RENAMED, lost));
    }

    @AfterEach
    void disarm() {
        CrashPoints.install(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aCrashAtAnyPointLeavesTheOldStateOrTheNewOneAndNothingElse(Case c) throws Exception {
        store = new SnapshotStore(data);
        pauser = new Pauser(store);
        resumer = new Resumer(store, FileVmm::new);
        maker = new TemplateMaker(store, null);
        Runnable flow = prepare(c.flow());

        CrashPoints.install(point -> {
            if (point.equals(c.point())) {
                throw new Crash(point);
            }
        });
        assertThatThrownBy(flow::run).as("the flow reaches " + c.point()).isInstanceOf(Crash.class);
        CrashPoints.install(null);

        Map<String, Sandbox> listed = restart();
        assertOutcome(c.expected(), listed);
    }

    private Runnable prepare(String flow) throws IOException {
        return switch (flow) {
            case "pause" -> {
                VmSpec spec = booted(ID, "mem");
                yield () -> pauser.pause(ID, new FileVmm(spec), spec);
            }
            case "resume" -> {
                paused(ID, booted(ID, "mem"));
                yield () -> resumer.resume(ID, placement());
            }
            case "template" -> {
                paused(ID, booted(ID, "mem"));
                yield () -> maker.fromPaused(ID, TEMPLATE, false);
            }
            case "overwrite" -> {
                paused("sb-older", booted("sb-older", "old"));
                maker.fromPaused("sb-older", TEMPLATE);
                store.deletePaused("sb-older");
                paused(ID, booted(ID, "mem"));
                yield () -> maker.fromPaused(ID, TEMPLATE, true);
            }
            case "repause" -> {
                Path templateRam = Files.writeString(data.resolve("template.ram"), "tmpl");
                paused(ID, booted(ID, "unused").withRam(templateRam, MemorySharing.PRIVATE));
                yield () -> {
                    var run = resumer.keepingSnapshot().resume(ID, placement());
                    pauser.pauseReplacing(ID, run.vm(), run.spec(), Map.of());
                };
            }
            case "destroy" -> {
                paused(ID, booted(ID, "mem"));
                yield () -> store.deletePaused(ID);
            }
            default -> throw new IllegalArgumentException(flow);
        };
    }

    /** A running VM's files: its RAM file holding {@code memory}; no disk (the template copy needs no qemu-img). */
    private VmSpec booted(String id, String memory) throws IOException {
        Path vmDir = Files.createDirectories(new DataDir(data).sandbox(id));
        VmSpec spec = new VmSpec(id, Path.of("/kernel"), null, null, 1, 256, vmDir, null, null, "");
        FileVmm.write(spec.ramFile(), memory);
        return spec;
    }

    private void paused(String id, VmSpec spec) {
        pauser.pause(id, new FileVmm(spec), spec);
        Sweeper.deleteTree(spec.vmDir()); // as the sandbox's run releases its directory after a pause
    }

    private VmPlacement placement() {
        return new VmPlacement(ID, new DataDir(data).sandbox(ID), null, null);
    }

    /** The next start: the sweep removes everything under sandboxes/, then recovery sorts the snapshots. */
    private Map<String, Sandbox> restart() {
        Sweeper.deleteTree(new DataDir(data).sandboxes());
        Map<String, Sandbox> boxes = new HashMap<>();
        new SnapshotRecovery(new SnapshotStore(data)).recover(boxes);
        return boxes;
    }

    private void assertOutcome(Expect expected, Map<String, Sandbox> listed) throws IOException {
        SnapshotStore after = new SnapshotStore(data);
        if (expected.pausedMemory() == null) {
            assertThat(after.paused(ID)).as("no snapshot of " + ID).isEmpty();
            assertThat(listed.get(ID) == null || listed.get(ID).state() == VmState.FAILED)
                    .as("gone, or listed FAILED with the reason")
                    .isTrue();
        } else {
            Snapshot snapshot = after.paused(ID).orElseThrow(() -> new AssertionError(ID + " is not paused"));
            assertThat(memoryOf(snapshot)).isEqualTo(expected.pausedMemory());
            assertThat(listed.get(ID).state()).isEqualTo(VmState.PAUSED);
        }
        if (expected.templateMemory() == null) {
            assertThat(after.templateNames()).isEmpty();
        } else {
            assertThat(after.templateNames()).containsExactly(TEMPLATE);
            assertThat(memoryOf(after.template(TEMPLATE).orElseThrow())).isEqualTo(expected.templateMemory());
        }
        assertThat(entries(after.snapshotsDir()))
                .as("snapshot directories after recovery")
                .isSubsetOf(List.of(ID));
        assertThat(entries(after.templatesDir()))
                .as("template directories after recovery")
                .isSubsetOf(List.of(TEMPLATE));
    }

    /** The guest memory a restore of this snapshot would see. */
    private static String memoryOf(Snapshot snapshot) {
        if (snapshot.meta().memoryInState()) {
            return FileVmm.read(snapshot.files().state()).substring("state\n".length());
        }
        assertThat(FileVmm.read(snapshot.files().state())).isEqualTo("state");
        return FileVmm.read(snapshot.files().ram());
    }

    private static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Thrown at the armed point: an Error, so no `catch (RuntimeException)` cleanup runs, as after a kill. */
    private static final class Crash extends Error {
        Crash(String point) {
            super("crashed at " + point, null, false, false);
        }
    }
}
