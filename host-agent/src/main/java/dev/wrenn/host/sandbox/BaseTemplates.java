package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.GuestEndpoint;
import dev.wrenn.host.guest.GuestInitializer;
import dev.wrenn.host.guest.GuestPace;
import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.net.EgressPolicy;
import dev.wrenn.host.snapshot.Pauser;
import dev.wrenn.host.snapshot.SnapshotStore;
import dev.wrenn.host.snapshot.TemplateMaker;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own templates behind a plain {@code base} create: a freshly booted, idle guest of one image version and
 * one shape, snapshotted once, named {@code _base-<image version>-<vcpus>c<memory>m}. Before the snapshot its guest
 * agent is initialized (with a token of the template's own, which clones' /init presents) and runs one process:
 * otherwise every clone would load and interpret that code for the first time, which costs seconds under TCG. A
 * {@code base} create clones it (a restore) instead of cold-booting; the first create of a version and shape boots
 * and snapshots it first. A rebuilt image is a new version and gets new ones; those of older versions are deleted
 * once no sandbox or template depends on them. Callers cannot name these templates: their names start with an
 * underscore, which request names cannot.
 */
final class BaseTemplates {
    private static final Logger log = LoggerFactory.getLogger(BaseTemplates.class);
    static final String PREFIX = "_base-";
    static final Duration RETRY_AFTER = Duration.ofMinutes(5);

    private final SnapshotStore store;
    private final VmLauncher launcher;
    private final Pauser pauser;
    private final TemplateMaker maker;
    private final GuestInitializer initializer;
    private final Duration readyTimeout;
    private final GuestPace pace = GuestPace.ofHost();
    private final Predicate<String> inUse;
    private final Map<String, Instant> failedAt = new HashMap<>();

    /** @param inUse whether a sandbox or template depends on the named template */
    BaseTemplates(
            SnapshotStore store,
            VmLauncher launcher,
            Pauser pauser,
            TemplateMaker maker,
            GuestInitializer initializer,
            Duration readyTimeout,
            Predicate<String> inUse) {
        this.store = store;
        this.launcher = launcher;
        this.pauser = pauser;
        this.maker = maker;
        this.initializer = initializer;
        this.readyTimeout = readyTimeout;
        this.inUse = inUse;
    }

    static String name(GuestImage image, int vcpus, int memoryMb) {
        return PREFIX + version(image) + "-" + vcpus + "c" + memoryMb + "m";
    }

    static boolean isBase(String template) {
        return template != null && template.startsWith(PREFIX);
    }

    /**
     * The base template of this image and shape, built now if it does not exist yet. A build that failed is not tried
     * again for {@link #RETRY_AFTER} (creates cold-boot meanwhile), so a guest that cannot be snapshotted does not
     * make every create pay for a second boot.
     */
    String ensure(GuestImage image, int vcpus, int memoryMb) {
        String name = name(image, vcpus, memoryMb);
        if (store.template(name).isPresent()) {
            return name;
        }
        synchronized (this) {
            if (store.template(name).isEmpty()) {
                Instant failed = failedAt.get(name);
                if (failed != null && failed.plus(RETRY_AFTER).isAfter(Instant.now())) {
                    throw new HostAgentException(
                            ErrorCode.UNAVAILABLE,
                            "base template %s failed at %s; not retried before %s"
                                    .formatted(name, failed, failed.plus(RETRY_AFTER)));
                }
                try {
                    build(name, image, vcpus, memoryMb);
                } catch (RuntimeException e) {
                    failedAt.put(name, Instant.now());
                    throw e;
                }
                failedAt.remove(name);
                pruneOlderThan(image);
            }
        }
        return name;
    }

    private void build(String name, GuestImage image, int vcpus, int memoryMb) {
        long started = System.nanoTime();
        VmRun run = launcher.coldBoot(name, image, vcpus, memoryMb, EgressPolicy.DENY_ALL);
        try {
            String token = Sandbox.newToken();
            GuestEndpoint guest = new GuestEndpoint(name, run.slot().hostIp(), token);
            // Scaled by the host's load, like every boot wait: under an oversubscribed TCG host a fixed minute failed
            // the build (and every create of the shape then cold-booted instead).
            Duration wait = pace.scale(readyTimeout);
            initializer.initialize(guest, Map.of(), wait);
            initializer.warmUp(guest, wait);
            pauser.pause(name, run.vmm(), run.spec(), Map.of(Sandbox.ATTR_TOKEN, token));
            maker.promote(name, name);
        } finally {
            run.cleanup().unwind();
            store.deletePaused(name);
        }
        log.info("base template {} made in {} ms", name, (System.nanoTime() - started) / 1_000_000);
    }

    private void pruneOlderThan(GuestImage image) {
        Pattern current = Pattern.compile(Pattern.quote(PREFIX + version(image) + "-") + "\\d+c\\d+m");
        for (String template : store.templateNames()) {
            if (isBase(template) && !current.matcher(template).matches() && !inUse.test(template)) {
                store.deleteTemplate(template);
                log.info("deleted base template {}: its image is no longer current", template);
            }
        }
    }

    /**
     * The versioned image directory's name (images/build.sh names it after the image's inputs). Files placed directly
     * in {@code images/} (hand-placed test images, builds from before versioning) have no version: their root disk's
     * size and modification time stand in for one, so replacing the disk still makes a new base template.
     */
    static String version(GuestImage image) {
        if (!image.dir().getFileName().toString().equals("images")) {
            return image.dir().getFileName().toString();
        }
        try {
            long stamp = Files.getLastModifiedTime(image.rootfs()).toMillis() ^ Files.size(image.rootfs());
            return "flat-" + Long.toHexString(stamp);
        } catch (IOException e) {
            return "flat";
        }
    }
}
