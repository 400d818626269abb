package dev.wrenn.host.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pulls an image into the {@link BlobCache}: the manifest (through an index to its linux/amd64 entry), the config
 * and every layer, each checked against its digest. A pinned digest is checked against the manifest bytes too. Before
 * downloading, the layers' total size is checked against a cap and against the free space of the data directory.
 */
final class ImagePuller {
    /** Compressed layers of one image, together. */
    static final long MAX_IMAGE_BYTES = 32L << 30;

    private final HttpClient http;
    private final RegistryMirrors mirrors;
    private final BlobCache cache;

    ImagePuller(HttpClient http, RegistryMirrors mirrors, BlobCache cache) {
        this.http = http;
        this.mirrors = mirrors;
        this.cache = cache;
    }

    PulledImage pull(ImageReference ref, String username, String password, BuildLog log, Cancellation cancellation) {
        RegistryClient registry = new RegistryClient(http, mirrors, ref, username, password, cancellation);
        log.info("pulling %s from %s".formatted(ref, registry.endpoint()));
        RegistryClient.Fetched top = registry.manifest(ref.manifestReference());
        String digest = Manifests.sha256(top.body());
        if (ref.digest().isPresent() && !ref.digest().get().equals(digest)) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "the registry's manifest for %s has digest %s, not the one asked for".formatted(ref, digest));
        }
        JsonNode manifest = Manifests.parse(top.body(), "manifest of " + ref);
        String type = Manifests.mediaType(manifest, top.mediaType());
        if (Manifests.isIndex(type)) {
            Descriptor chosen = Manifests.pickAmd64(manifest, ref.toString());
            log.info("index %s: using its linux/amd64 manifest %s".formatted(digest, chosen.digest()));
            RegistryClient.Fetched inner = registry.manifest(chosen.digest());
            if (!Manifests.sha256(inner.body()).equals(chosen.digest())) {
                throw new HostAgentException(
                        ErrorCode.FAILED_PRECONDITION,
                        "the registry's manifest %s of %s does not match its digest".formatted(chosen.digest(), ref));
            }
            manifest = Manifests.parse(inner.body(), "manifest of " + ref);
            type = Manifests.mediaType(manifest, inner.mediaType());
            if (Manifests.isIndex(type)) {
                throw new HostAgentException(
                        ErrorCode.FAILED_PRECONDITION,
                        "image %s: an index inside an index is not supported".formatted(ref));
            }
        }
        Manifests.Image image = Manifests.image(manifest, type, ref.toString());
        long total = image.layers().stream().mapToLong(Descriptor::size).sum();
        if (total > MAX_IMAGE_BYTES || image.config().size() > RegistryClient.MANIFEST_MAX) {
            throw new HostAgentException(
                    ErrorCode.RESOURCE_EXHAUSTED,
                    "image %s is %d MiB compressed; at most %d MiB is accepted"
                            .formatted(ref, total >> 20, MAX_IMAGE_BYTES >> 20));
        }
        checkSpace(image, total, ref);
        ImageConfig config =
                ImageConfig.of(Manifests.parse(readConfig(registry, image.config(), cancellation), "config of " + ref));
        if (!config.architecture().isEmpty() && !config.architecture().equals("amd64")
                || !config.os().isEmpty() && !config.os().equals("linux")) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "image %s is %s/%s; Wrenn's sandboxes are linux/amd64"
                            .formatted(ref, config.os(), config.architecture()));
        }
        List<Path> files = new ArrayList<>();
        int n = 0;
        for (Descriptor layer : image.layers()) {
            n++;
            cancellation.check();
            boolean cached = cache.has(layer);
            files.add(cache.fetch(registry, layer, cancellation));
            log.info("layer %d/%d %s (%s) %s"
                    .formatted(
                            n,
                            image.layers().size(),
                            layer.digest().substring(0, 19),
                            mib(layer.size()),
                            cached ? "cached" : "downloaded"));
        }
        return new PulledImage(digest, config, image.layers(), files);
    }

    private byte[] readConfig(RegistryClient registry, Descriptor config, Cancellation cancellation) {
        try {
            return Files.readAllBytes(cache.fetch(registry, config, cancellation));
        } catch (IOException e) {
            throw new HostAgentException(ErrorCode.INTERNAL, "reading the cached config " + config.digest(), e);
        }
    }

    private void checkSpace(Manifests.Image image, long compressed, ImageReference ref) {
        long missing = image.layers().stream()
                .filter(l -> !cache.has(l))
                .mapToLong(Descriptor::size)
                .sum();
        try {
            Files.createDirectories(cache.dir());
            long free = Files.getFileStore(cache.dir()).getUsableSpace();
            // The layers, then their unpacked tree (often 2-3 times larger), then the disk image made from it.
            long needed = missing + 4 * compressed + (512L << 20);
            if (free < needed) {
                throw new HostAgentException(
                        ErrorCode.RESOURCE_EXHAUSTED,
                        "not enough disk space for %s: %s free under %s, about %s needed"
                                .formatted(ref, mib(free), cache.dir(), mib(needed)));
            }
        } catch (IOException e) {
            throw new HostAgentException(ErrorCode.INTERNAL, "checking free space under " + cache.dir(), e);
        }
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
