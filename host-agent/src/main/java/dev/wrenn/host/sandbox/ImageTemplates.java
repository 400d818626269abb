package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.GuestEndpoint;
import dev.wrenn.host.guest.GuestInitializer;
import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.EgressPolicy;
import dev.wrenn.host.oci.BuildLog;
import dev.wrenn.host.oci.Cancellation;
import dev.wrenn.host.oci.ImageBuilder;
import dev.wrenn.host.oci.PreparedImage;
import dev.wrenn.host.snapshot.Pauser;
import dev.wrenn.host.snapshot.SnapshotStore;
import dev.wrenn.host.snapshot.TemplateMaker;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BuildImageTemplate: an image's disk ({@link ImageBuilder}; Wrenn's own base image for {@code e2bdev/base}),
 * cold-booted once in a build VM named {@code _build-<template id>}, its guest agent initialized and warmed up, paused
 * and promoted into {@code templates/<template id>} exactly as the agent's base templates are, so CreateSandbox
 * clones it like any template. An existing (or building) template id is refused before anything is made; a failure
 * or a cancel removes the VM, its snapshot and the image's disk.
 */
final class ImageTemplates {
    private static final Logger log = LoggerFactory.getLogger(ImageTemplates.class);
    static final String VM_PREFIX = "_build-";

    private final SnapshotStore store;
    private final VmLauncher launcher;
    private final Pauser pauser;
    private final TemplateMaker maker;
    private final GuestInitializer initializer;
    private final Duration readyTimeout;
    private final ImageStore images;
    private final SandboxLimits limits;
    private final Set<String> building = ConcurrentHashMap.newKeySet();
    private volatile ImageBuilder builder;

    ImageTemplates(
            SnapshotStore store,
            VmLauncher launcher,
            Pauser pauser,
            TemplateMaker maker,
            GuestInitializer initializer,
            Duration readyTimeout,
            ImageStore images,
            SandboxLimits limits,
            ImageBuilder builder) {
        this.store = store;
        this.launcher = launcher;
        this.pauser = pauser;
        this.maker = maker;
        this.initializer = initializer;
        this.readyTimeout = readyTimeout;
        this.images = images;
        this.limits = limits;
        this.builder = builder;
    }

    void useBuilder(ImageBuilder newBuilder) {
        this.builder = newBuilder;
    }

    ImageBuilder builder() {
        return builder;
    }

    PreparedImage build(ImageBuildRequest request, BuildLog buildLog, Cancellation cancellation) {
        String id = request.templateId();
        SnapshotOperations.checkTemplateName(id, "building template");
        if (id.startsWith("_")) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT, "building template: names starting with _ are the agent's own");
        }
        if (request.image() == null || request.image().isBlank()) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT, "building template %s: image is empty".formatted(id));
        }
        int vcpus = request.vcpus() == 0 ? 1 : request.vcpus();
        int memoryMb = request.memoryMb() == 0 ? 512 : request.memoryMb();
        limits.checkBuild(id, vcpus, memoryMb);
        if (store.template(id).isPresent() || !building.add(id)) {
            throw new HostAgentException(ErrorCode.ALREADY_EXISTS, "template %s already exists".formatted(id));
        }
        boolean wrennBase = ImageBuilder.isWrennBase(request.image());
        boolean published = false;
        long started = System.nanoTime();
        try {
            if (store.template(id).isPresent()) {
                throw new HostAgentException(ErrorCode.ALREADY_EXISTS, "template %s already exists".formatted(id));
            }
            GuestImage base = images.resolve(ImageStore.BASE);
            PreparedImage prepared;
            if (wrennBase) {
                buildLog.info("%s is Wrenn's base image %s: nothing to pull"
                        .formatted(ImageBuilder.E2B_BASE, base.dir().getFileName()));
                prepared = new PreparedImage(base, ImageBuilder.baseConfig(), "");
            } else {
                prepared = builder.prepare(
                        id,
                        base,
                        request.image(),
                        request.username(),
                        request.password(),
                        request.diskSizeMb(),
                        buildLog,
                        cancellation);
            }
            cancellation.check();
            buildLog.info("booting the template VM (%d vCPU, %d MiB)".formatted(vcpus, memoryMb));
            snapshot(id, prepared.image(), vcpus, memoryMb, buildLog, cancellation);
            published = true;
            if (cancellation.isCancelled()) {
                deleteQuietly(id);
                cancellation.check();
            }
            buildLog.info("template %s ready in %d s".formatted(id, (System.nanoTime() - started) / 1_000_000_000));
            log.info(
                    "template {} built from image {} in {} ms",
                    id,
                    request.image(),
                    (System.nanoTime() - started) / 1_000_000);
            return prepared;
        } finally {
            if (!published && !wrennBase) {
                builder.discard(id);
            }
            building.remove(id);
        }
    }

    private void snapshot(
            String id, GuestImage image, int vcpus, int memoryMb, BuildLog buildLog, Cancellation cancellation) {
        String vm = VM_PREFIX + id;
        VmRun run = launcher.coldBoot(vm, image, vcpus, memoryMb, EgressPolicy.DENY_ALL);
        try {
            cancellation.check();
            String token = Sandbox.newToken();
            GuestEndpoint guest = new GuestEndpoint(vm, run.slot().hostIp(), token);
            initializer.initialize(guest, Map.of(), readyTimeout);
            try {
                initializer.warmUp(guest, readyTimeout);
            } catch (RuntimeException e) {
                // Only a speed-up for clones; it runs /bin/true and /bin/rm, which a minimal image may not have.
                buildLog.warn("warming up the guest agent failed (clones start slower): " + e.getMessage());
            }
            cancellation.check();
            pauser.pause(vm, run.vmm(), run.spec(), Map.of(Sandbox.ATTR_TOKEN, token));
            maker.promote(vm, id);
        } finally {
            run.cleanup().unwind();
            store.deletePaused(vm);
        }
    }

    /** Whether a build of this id runs now (its files are not leftovers). */
    boolean isBuilding(String id) {
        return building.contains(id);
    }

    private void deleteQuietly(String id) {
        try {
            store.deleteTemplate(id);
        } catch (RuntimeException e) {
            log.warn("removing template {} after a cancel: {}", id, e.toString());
        }
        builder.discard(id);
    }
}
