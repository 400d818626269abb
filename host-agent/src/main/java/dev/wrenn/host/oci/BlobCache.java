package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Blobs (layers, configs) by digest under {@code <data>/oci/blobs/sha256/<hex>}. A blob is written to a temporary
 * name while its sha256 and length are checked against the manifest's descriptor, and renamed into place only when
 * both match, so the cache holds only verified blobs and a later build of an image sharing layers skips them.
 */
final class BlobCache {
    /** A layer may take this long in total (a slow link and a big layer); stalls are cut after 60 s anyway. */
    static final Duration BLOB_DEADLINE = Duration.ofMinutes(60);

    private final Path dir;

    BlobCache(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path path(Descriptor blob) {
        return dir.resolve(blob.hex());
    }

    boolean has(Descriptor blob) {
        Path file = path(blob);
        try {
            return Files.isRegularFile(file) && Files.size(file) == blob.size();
        } catch (IOException e) {
            return false;
        }
    }

    /** The verified blob, downloaded unless cached. */
    Path fetch(RegistryClient registry, Descriptor blob, Cancellation cancellation) {
        Path target = path(blob);
        if (has(blob)) {
            touch(target);
            return target;
        }
        Path partial = dir.resolve("." + blob.hex() + ".partial-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long length;
            try (InputStream body = registry.blob(blob, BLOB_DEADLINE);
                    AutoCloseable ignored = cancellation.closeOnCancel(body);
                    InputStream in = new DigestInputStream(body, sha256);
                    OutputStream out = Files.newOutputStream(partial)) {
                length = in.transferTo(out);
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (length != blob.size() || !actual.equals(blob.digest())) {
                throw new HostAgentException(
                        ErrorCode.FAILED_PRECONDITION,
                        "blob %s from %s does not match its manifest: got %d bytes with digest %s, expected %d bytes"
                                .formatted(blob.digest(), registry.endpoint(), length, actual, blob.size()));
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (HostAgentException e) {
            cancellation.check();
            throw e;
        } catch (Exception e) {
            cancellation.check();
            throw new HostAgentException(
                    ErrorCode.UNAVAILABLE, "downloading blob %s: %s".formatted(blob.digest(), e.getMessage()), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // swept with the cache
            }
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // only an age hint for pruning
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
