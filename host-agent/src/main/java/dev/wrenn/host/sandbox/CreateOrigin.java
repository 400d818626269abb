package dev.wrenn.host.sandbox;

import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.snapshot.Snapshot;
import dev.wrenn.host.snapshot.SnapshotMeta;
import dev.wrenn.host.snapshot.SnapshotStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a create starts from: a snapshot template to clone ({@code template}, with the shape of its meta and the
 * token its guest agent already trusts), or an image to cold-boot. A caller's template wins; otherwise the name is
 * an image whose base template is cloned, made first if needed; if making it fails the image is cold-booted.
 */
record CreateOrigin(String template, GuestImage image, int vcpus, int memoryMb, String trustedToken) {
    private static final Logger log = LoggerFactory.getLogger(CreateOrigin.class);

    static CreateOrigin of(
            SandboxRequest request,
            SnapshotStore store,
            ImageStore images,
            SandboxLimits limits,
            BaseTemplates baseTemplates) {
        Optional<Snapshot> template = store.template(request.template());
        if (template.isPresent()) {
            SnapshotMeta meta = template.get().meta();
            limits.check(reshaped(request, meta.vcpus(), meta.memoryMib()));
            String token = meta.attributes().getOrDefault(Sandbox.ATTR_TOKEN, "");
            return new CreateOrigin(request.template(), null, meta.vcpus(), meta.memoryMib(), token);
        }
        limits.check(request);
        GuestImage image = images.resolve(request.template());
        try {
            String base = baseTemplates.ensure(image, request.vcpus(), request.memoryMb());
            String token = store.template(base)
                    .map(t -> t.meta().attributes().getOrDefault(Sandbox.ATTR_TOKEN, ""))
                    .orElse("");
            return new CreateOrigin(base, image, request.vcpus(), request.memoryMb(), token);
        } catch (RuntimeException e) {
            log.warn("making the base template of {} failed, cold-booting instead: {}", image.dir(), e.getMessage());
            return new CreateOrigin(null, image, request.vcpus(), request.memoryMb(), "");
        }
    }

    /** A cold boot of the image, whatever templates exist: the path a failed base template falls back to. */
    static CreateOrigin coldBoot(SandboxRequest request, ImageStore images, SandboxLimits limits) {
        limits.check(request);
        return new CreateOrigin(null, images.resolve(request.template()), request.vcpus(), request.memoryMb(), "");
    }

    String describe() {
        return template == null ? "cold boot of " + image.dir() : "clone of " + template;
    }

    private static SandboxRequest reshaped(SandboxRequest request, int vcpus, int memoryMb) {
        return new SandboxRequest(
                request.sandboxId(), request.template(), vcpus, memoryMb, request.timeoutSec(), request.envVars());
    }
}
