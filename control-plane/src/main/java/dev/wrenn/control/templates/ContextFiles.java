package dev.wrenn.control.templates;

import dev.wrenn.control.db.TemplateBuildRepository;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The build contexts teams upload for COPY steps, stored per team by the SDK's files hash under
 * {@code <data>/template-files/<team>/<hash>.tar}. The SDK uploads with a plain {@code PUT} to the URL it is given (it
 * sends no credentials there, as to a presigned S3 URL), so the URL carries its own authority: the team, the hash and
 * an expiry, signed with HMAC-SHA256 under the installation's JWT secret. Uploads are size-capped, checked to be a tar
 * archive with safe names, written to a temporary file, synced and renamed: a half-written upload is never present.
 */
public final class ContextFiles {
    static final Duration URL_LIFETIME = Duration.ofHours(1);

    private final Path root;
    private final byte[] key;
    private final long maxBytes;
    private final TemplateBuildRepository rows;
    private final Clock clock;

    public ContextFiles(Path dataDir, String secret, long maxBytes, TemplateBuildRepository rows, Clock clock) {
        this.root = dataDir.resolve("template-files");
        this.key = ("wrenn-template-files\n" + secret).getBytes(StandardCharsets.UTF_8);
        this.maxBytes = maxBytes;
        this.rows = rows;
        this.clock = clock;
    }

    long maxBytes() {
        return maxBytes;
    }

    boolean isPresent(String teamId, String hash) {
        return rows.hasFile(teamId, hash) && Files.isRegularFile(path(teamId, hash));
    }

    Path path(String teamId, String hash) {
        return root.resolve(teamId).resolve(hash + ".tar");
    }

    /** The query string of a signed upload URL for {@code /v1/templates/uploads/{hash}}. */
    String signedQuery(String teamId, String hash) {
        long expires = clock.instant().plus(URL_LIFETIME).getEpochSecond();
        return "team=" + teamId + "&expires=" + expires + "&signature=" + sign(teamId, hash, expires);
    }

    /**
     * Stores an upload after checking its signature (403), expiry (403), size (413) and form (400).
     *
     * @return the bytes stored
     */
    public long upload(String teamId, String hash, String expires, String signature, InputStream body) {
        if (!BuildSpec.FILES_HASH.matcher(hash).matches()) {
            throw ApiException.invalid("the files hash must be 64 lowercase hex characters");
        }
        if (teamId == null || expires == null || signature == null) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the upload URL is not signed (team, expires, signature)");
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the upload URL's signature does not match");
        }
        byte[] expected = sign(teamId, hash, expiresAt).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the upload URL's signature does not match");
        }
        if (clock.instant().getEpochSecond() > expiresAt) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the upload URL has expired; ask for a new one");
        }
        try {
            Path dir = root.resolve(teamId);
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, ".upload-", ".partial");
            try {
                long size = copyCapped(body, partial);
                checkArchive(partial);
                try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(partial, path(teamId, hash), StandardCopyOption.ATOMIC_MOVE);
                rows.recordFile(teamId, hash, size, clock.instant());
                return size;
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("storing an uploaded build context", e);
        }
    }

    private long copyCapped(InputStream body, Path target) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = body.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new ApiException(
                            ErrorCode.TOO_LARGE,
                            "a build-context archive may be at most " + maxBytes + " bytes (WRENN_MAX_UPLOAD_BYTES)");
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    /** A tar archive (gzipped or not) whose names stay inside the context: no absolute paths, no {@code ..}. */
    private static void checkArchive(Path file) {
        try (TarReader tar = new TarReader(Files.newInputStream(file))) {
            for (TarReader.Entry e; (e = tar.next()) != null; ) {
                String name = e.name();
                if (name.startsWith("/") || List.of(name.split("/")).contains("..")) {
                    throw ApiException.invalid("the archive holds an entry outside the build context: " + name);
                }
            }
        } catch (IOException e) {
            throw ApiException.invalid("the upload is not a tar archive: " + e.getMessage());
        }
    }

    /**
     * Recomputes the SDK's files hash of a COPY step from the stored archive ({@code sha256("COPY src dest")}, then per
     * entry in order its path, {@code st_mode}, size and content or link target). A directory's size is not in a tar
     * archive, so an archive holding directories cannot be checked this way: then this answers true.
     *
     * @return whether the archive matches {@code hash} (or holds directories)
     */
    boolean matches(String teamId, String hash, String src, String dest) {
        try (TarReader tar = new TarReader(Files.newInputStream(path(teamId, hash)))) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(("COPY " + src + " " + dest).getBytes(StandardCharsets.UTF_8));
            for (TarReader.Entry e; (e = tar.next()) != null; ) {
                if (e.isDirectory()) {
                    return true;
                }
                digest.update(e.name().getBytes(StandardCharsets.UTF_8));
                if (e.isSymlink()) {
                    byte[] target = e.linkName().getBytes(StandardCharsets.UTF_8);
                    digest.update(Integer.toString(0120000 | (e.mode() & 07777)).getBytes(StandardCharsets.UTF_8));
                    digest.update(Integer.toString(target.length).getBytes(StandardCharsets.UTF_8));
                    digest.update(target);
                    continue;
                }
                digest.update(Integer.toString(0100000 | (e.mode() & 07777)).getBytes(StandardCharsets.UTF_8));
                digest.update(Long.toString(e.size()).getBytes(StandardCharsets.UTF_8));
                InputStream content = tar.content();
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = content.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest()).equals(hash);
        } catch (IOException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(String teamId, String hash, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of()
                    .formatHex(mac.doFinal((teamId + "\n" + hash + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
