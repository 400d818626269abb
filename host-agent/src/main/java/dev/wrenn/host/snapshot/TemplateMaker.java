package dev.wrenn.host.snapshot;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CrashPoints;
import dev.wrenn.host.sys.Durable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Freezes a paused sandbox into a template: its RAM file, device state and disk overlay are copied (sparse) into a
 * staging directory ({@code templates/.staging-<name>}), synced, meta.json is written last, and the directory is
 * renamed into {@code templates/<name>} in one step (or, replacing an existing template, exchanged with it in one
 * step, and the old one deleted after). A template is therefore visible only once it is whole and on disk, and a
 * crash leaves either the old template or the new one; the recovery at start removes staging directories. The
 * sandbox stays paused and can still be resumed. The template's disk is the sandbox's overlay, still backed by the
 * base image: a frozen overlay chain, never written again (clones stack their own overlay on it).
 */
public final class TemplateMaker {
    /** Crash points, in the order making a template reaches them. */
    public static final String CRASH_COPIED = "template.copied";

    public static final String CRASH_STAGED = "template.staged";
    public static final String CRASH_EXCHANGED = "template.exchanged";
    public static final String CRASH_PUBLISHED = "template.published";

    private final SnapshotStore store;
    private final QemuImg qemuImg;
    private final PublishGuard guard;

    public TemplateMaker(SnapshotStore store, QemuImg qemuImg, PublishGuard guard) {
        this.store = store;
        this.qemuImg = qemuImg;
        this.guard = guard;
    }

    public TemplateMaker(SnapshotStore store, QemuImg qemuImg) {
        this(store, qemuImg, PublishGuard.NONE);
    }

    public Snapshot fromPaused(String sandboxId, String templateName) {
        return fromPaused(sandboxId, templateName, false);
    }

    /**
     * Makes template {@code templateName} from the paused sandbox. With {@code replace}, an existing template of that
     * name is replaced atomically (the caller checks that nothing depends on it); without, it is ALREADY_EXISTS.
     */
    public Snapshot fromPaused(String sandboxId, String templateName, boolean replace) {
        Snapshot paused = checkedSource(sandboxId, templateName, replace);
        SnapshotFiles staging = store.prepare(stagingFiles(templateName));
        try {
            copy(paused, staging);
            CrashPoints.reach(CRASH_COPIED);
            String base = paused.meta().hasDisk() ? baseOf(paused.files().disk()) : null;
            store.commit(staging, paused.meta().forTemplate(sandboxId, base));
            CrashPoints.reach(CRASH_STAGED);
            publish(staging, templateName, replace);
        } catch (IOException | RuntimeException e) {
            throw failed(sandboxId, templateName, staging, e);
        }
        return store.template(templateName).orElseThrow();
    }

    /**
     * Turns a paused snapshot into a template by moving its directory rather than copying it: the sandbox is consumed
     * (for a VM that was booted only to become a template). Same checks and the same all-or-nothing publication as
     * {@link #fromPaused}.
     */
    public Snapshot promote(String sandboxId, String templateName) {
        Snapshot paused = checkedSource(sandboxId, templateName, false);
        SnapshotFiles staging = stagingFiles(templateName);
        try {
            SnapshotStore.deleteTree(staging.dir());
            Files.createDirectories(store.templatesDir());
            // Out of snapshots/, it is no longer a paused snapshot; the template meta.json below replaces its meta.
            Durable.rename(paused.files().dir(), staging.dir());
            String base = paused.meta().hasDisk() ? baseOf(staging.disk()) : null;
            store.commit(staging, paused.meta().forTemplate(sandboxId, base));
            publish(staging, templateName, false);
        } catch (IOException | RuntimeException e) {
            throw failed(sandboxId, templateName, staging, e);
        }
        return store.template(templateName).orElseThrow();
    }

    private SnapshotFiles stagingFiles(String templateName) {
        store.templateFiles(templateName); // checks the name
        return new SnapshotFiles(store.templatesDir().resolve(".staging-" + templateName));
    }

    /** The one step that makes the template visible: a rename, or an exchange with the template it replaces. */
    private void publish(SnapshotFiles staging, String templateName, boolean replace) throws IOException {
        Path target = store.templateFiles(templateName).dir();
        boolean replacing = replace && Files.exists(target);
        guard.publish(templateName, replacing, () -> publishStep(staging, target, templateName, replacing));
        CrashPoints.reach(CRASH_PUBLISHED);
    }

    private static void publishStep(SnapshotFiles staging, Path target, String templateName, boolean replacing)
            throws IOException {
        if (replacing) {
            Durable.exchange(staging.dir(), target);
            CrashPoints.reach(CRASH_EXCHANGED);
            SnapshotStore.deleteTree(staging.dir()); // now the old template
        } else {
            try {
                Durable.renameNoReplace(staging.dir(), target);
            } catch (FileAlreadyExistsException e) {
                throw new HostAgentException(
                        ErrorCode.ALREADY_EXISTS, "template %s already exists".formatted(templateName), e);
            }
        }
    }

    private static HostAgentException failed(
            String sandboxId, String templateName, SnapshotFiles staging, Exception e) {
        SnapshotStore.deleteTree(staging.dir());
        ErrorCode code = e instanceof HostAgentException h ? h.code() : ErrorCode.INTERNAL;
        return new HostAgentException(
                code, "making template %s from sandbox %s: %s".formatted(templateName, sandboxId, e.getMessage()), e);
    }

    private Snapshot checkedSource(String sandboxId, String templateName, boolean replace) {
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
        if (!replace && Files.exists(store.templateFiles(templateName).dir())) {
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
