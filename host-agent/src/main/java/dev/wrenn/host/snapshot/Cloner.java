package dev.wrenn.host.snapshot;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.vmm.MemorySharing;
import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import dev.wrenn.host.vmm.VmmFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Starts a new sandbox from a template: the template's RAM file mapped privately (copy-on-write: the clone's
 * writes stay in its own anonymous pages, unmodified pages are shared by every clone through the page cache, the
 * template is never written), a fresh qcow2 overlay over the template's disk, and the template's device state.
 */
public final class Cloner {
    private final SnapshotStore store;
    private final VmmFactory vmms;
    private final QemuImg qemuImg;
    private final Duration timeout;

    public Cloner(SnapshotStore store, VmmFactory vmms, QemuImg qemuImg, Duration timeout) {
        this.store = store;
        this.vmms = vmms;
        this.qemuImg = qemuImg;
        this.timeout = timeout;
    }

    public Cloner(SnapshotStore store, VmmFactory vmms, QemuImg qemuImg) {
        this(store, vmms, qemuImg, Pauser.DEFAULT_TIMEOUT);
    }

    /** A running clone of {@code templateName} at {@code where}; its overlay is {@link VmPlacement#disk()}. */
    public RestoredVm clone(String templateName, VmPlacement where) {
        Snapshot template = store.template(templateName)
                .orElseThrow(() -> new HostAgentException(
                        ErrorCode.NOT_FOUND, "cloning template %s: no such template".formatted(templateName)));
        VmSpec spec = template.meta()
                .spec(where, template.meta().hasDisk() ? where.disk() : null)
                .withRam(template.files().ram(), MemorySharing.PRIVATE);
        prepareDisk(templateName, template, spec);
        Vmm vm = vmms.create(spec.asIncoming());
        try {
            vm.start();
            vm.loadState(new StateFile(template.files().state(), false), timeout);
            vm.resume();
        } catch (RuntimeException e) {
            vm.stop(Duration.ofSeconds(5));
            deleteQuietly(spec);
            ErrorCode code = e instanceof HostAgentException h ? h.code() : ErrorCode.INTERNAL;
            throw new HostAgentException(
                    code, "cloning template %s into %s: %s".formatted(templateName, where.name(), e.getMessage()), e);
        }
        return new RestoredVm(vm, spec);
    }

    private void prepareDisk(String templateName, Snapshot template, VmSpec spec) {
        try {
            Files.createDirectories(spec.vmDir());
            if (spec.rootDisk() != null) {
                Files.deleteIfExists(spec.rootDisk());
                qemuImg.createOverlay(template.files().disk(), "qcow2", spec.rootDisk());
            }
        } catch (IOException | RuntimeException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "cloning template %s: preparing %s: %s".formatted(templateName, spec.vmDir(), e.getMessage()),
                    e);
        }
    }

    private static void deleteQuietly(VmSpec spec) {
        try {
            if (spec.rootDisk() != null) {
                Files.deleteIfExists(spec.rootDisk());
            }
        } catch (IOException ignored) {
            // The VM directory is the caller's; it removes the rest with it.
        }
    }
}
