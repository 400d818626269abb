package dev.wrenn.host.snapshot;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Freezes a paused sandbox into a template: its RAM file, device state and disk overlay are copied (sparse) into
 * a staging directory, meta.json is written last, and the directory is renamed into {@code templates/<name>} in
 * one step. The sandbox stays paused and can still be resumed. The template's disk is the sandbox's overlay, still
 * backed by the base image: a frozen overlay chain, never written again (clones stack their own overlay on it).
 */
public final class TemplateMaker {
    private final SnapshotStore store;
    private final QemuImg qemuImg;

    public TemplateMaker(SnapshotStore store, QemuImg qemuImg) {
        this.store = store;
        this.qemuImg = qemuImg;
    }

    public Snapshot fromPaused(String sandboxId, String templateName) {
        Snapshot paused = checkedSource(sandboxId, templateName);
        SnapshotFiles target = store.templateFiles(templateName);
        SnapshotFiles staging =
                store.prepare(new SnapshotFiles(store.templatesDir().resolve(".staging-" + templateName)));
        try {
            copy(paused, staging);
            String base = paused.meta().hasDisk() ? baseOf(paused.files().disk()) : null;
            store.commit(staging, paused.meta().forTemplate(sandboxId, base));
            Files.move(staging.dir(), target.dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            SnapshotStore.deleteTree(staging.dir());
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "making template %s from sandbox %s: %s".formatted(templateName, sandboxId, e.getMessage()),
                    e);
        }
        return store.template(templateName).orElseThrow();
    }

    /**
     * Turns a paused snapshot into a template by moving its directory rather than copying it: the sandbox is consumed
     * (for a VM that was booted only to become a template). Same checks and the same all-or-nothing commit as
     * {@link #fromPaused}.
     */
    public Snapshot promote(String sandboxId, String templateName) {
        Snapshot paused = checkedSource(sandboxId, templateName);
        SnapshotFiles target = store.templateFiles(templateName);
        SnapshotFiles staging = new SnapshotFiles(store.templatesDir().resolve(".staging-" + templateName));
        try {
            SnapshotStore.deleteTree(staging.dir());
            Files.createDirectories(store.templatesDir());
            store.uncommit(paused.files());
            Files.move(paused.files().dir(), staging.dir(), StandardCopyOption.ATOMIC_MOVE);
            String base = paused.meta().hasDisk() ? baseOf(staging.disk()) : null;
            store.commit(staging, paused.meta().forTemplate(sandboxId, base));
            Files.move(staging.dir(), target.dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            SnapshotStore.deleteTree(staging.dir());
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "making template %s from sandbox %s: %s".formatted(templateName, sandboxId, e.getMessage()),
                    e);
        }
        return store.template(templateName).orElseThrow();
    }

    private Snapshot checkedSource(String sandboxId, String templateName) {
        Snapshot paused = store.paused(sandboxId)
                .orElseThrow(() -> new HostAgentException(
                        ErrorCode.FAILED_PRECONDITION,
                        "making template %s: sandbox %s is not paused".formatted(templateName, sandboxId)));
        if (paused.meta().memoryInState()) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "making template %s: sandbox %s was paused as a clone (memory inside its state); resume and pause it once more first"
                            .formatted(templateName, sandboxId));
        }
        if (Files.exists(store.templateFiles(templateName).dir())) {
            throw new HostAgentException(
                    ErrorCode.ALREADY_EXISTS, "template %s already exists".formatted(templateName));
        }
        return paused;
    }

    private static void copy(Snapshot paused, SnapshotFiles staging) {
        sparseCopy(paused.files().ram(), staging.ram());
        sparseCopy(paused.files().state(), staging.state());
        if (paused.meta().hasDisk()) {
            sparseCopy(paused.files().disk(), staging.disk());
        }
    }

    /** cp keeps holes and turns runs of zeros into holes: the guest's never-touched RAM costs no disk. */
    private static void sparseCopy(Path from, Path to) {
        Command.of("cp", "--sparse=always", from.toString(), to.toString())
                .withTimeout(Duration.ofMinutes(10))
                .run();
    }

    /** The image the template's disk overlay is backed by, recorded for information and cleanup. */
    private String baseOf(Path disk) {
        return qemuImg.info(disk).backingFile();
    }
}
