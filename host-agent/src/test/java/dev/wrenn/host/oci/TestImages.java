package dev.wrenn.host.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds image layers (tar, optionally gzip) and pushes images (manifest, config, index) into a {@link TestRegistry}. */
public final class TestImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestImages() {}

    public record Layer(Path file, String digest, long size, String mediaType) {}

    @FunctionalInterface
    public interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    public static Layer layer(Path file, boolean gzip, Entries entries) throws IOException {
        MessageDigest sha = BlobCache.sha256();
        try (OutputStream raw = new DigestOutputStream(Files.newOutputStream(file), sha);
                OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            entries.write(tar);
        }
        return new Layer(
                file,
                "sha256:" + HexFormat.of().formatHex(sha.digest()),
                Files.size(file),
                gzip ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar");
    }

    public static void file(TarArchiveOutputStream tar, String name, String content, int uid, int mode)
            throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(mode);
        entry.setUserId(uid);
        entry.setGroupId(uid);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    public static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        file(tar, name, content, 0, 0644);
    }

    public static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        entry.setMode(0755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    public static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    public static void hardlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** A whole directory tree as one layer: owners, modes and symlinks as they are on disk. */
    public static Layer tree(Path root, Path file, boolean gzip) throws IOException {
        return layer(file, gzip, tar -> {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(root)) {
                paths = walk.filter(p -> !p.equals(root)).sorted().toList();
            }
            for (Path path : paths) {
                String name = root.relativize(path).toString();
                Map<String, Object> attrs = Files.readAttributes(path, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                TarArchiveEntry entry;
                boolean regular = false;
                if (Files.isSymbolicLink(path)) {
                    entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    entry.setLinkName(Files.readSymbolicLink(path).toString());
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entry = new TarArchiveEntry(name + "/");
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    entry = new TarArchiveEntry(name);
                    entry.setSize(Files.size(path));
                    regular = true;
                } else {
                    continue;
                }
                entry.setUserId((Integer) attrs.get("uid"));
                entry.setGroupId((Integer) attrs.get("gid"));
                entry.setMode((Integer) attrs.get("mode") & 07777);
                tar.putArchiveEntry(entry);
                if (regular) {
                    Files.copy(path, tar);
                }
                tar.closeArchiveEntry();
            }
        });
    }

    /**
     * Pushes an image: config, layers, an OCI manifest, and with {@code index} an OCI index holding an arm64 entry
     * and the amd64 one. Returns the digest the tag points to.
     */
    public static String push(
            TestRegistry registry,
            Path work,
            String repository,
            String tag,
            List<Layer> layers,
            Map<String, Object> imageConfig,
            boolean index)
            throws IOException {
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.set("config", JSON.valueToTree(imageConfig));
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        byte[] configBytes = JSON.writeValueAsBytes(config);
        Path configFile = Files.write(Files.createTempFile(work, "config", ".json"), configBytes);
        String configDigest = Manifests.sha256(configBytes);
        registry.putBlob(configDigest, configFile);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", Manifests.OCI_MANIFEST);
        ObjectNode configDescriptor = manifest.putObject("config");
        configDescriptor.put("mediaType", "application/vnd.oci.image.config.v1+json");
        configDescriptor.put("digest", configDigest);
        configDescriptor.put("size", configBytes.length);
        ArrayNode layerArray = manifest.putArray("layers");
        for (Layer layer : layers) {
            registry.putBlob(layer.digest(), layer.file());
            ObjectNode d = layerArray.addObject();
            d.put("mediaType", layer.mediaType());
            d.put("digest", layer.digest());
            d.put("size", layer.size());
        }
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        String manifestDigest =
                registry.putManifest(repository, index ? null : tag, Manifests.OCI_MANIFEST, manifestBytes);
        if (!index) {
            return manifestDigest;
        }
        ObjectNode idx = JSON.createObjectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", Manifests.OCI_INDEX);
        ArrayNode entries = idx.putArray("manifests");
        ObjectNode arm = entries.addObject();
        arm.put("mediaType", Manifests.OCI_MANIFEST);
        arm.put("digest", "sha256:" + "0".repeat(64));
        arm.put("size", 100);
        arm.putObject("platform").put("os", "linux").put("architecture", "arm64");
        ObjectNode amd = entries.addObject();
        amd.put("mediaType", Manifests.OCI_MANIFEST);
        amd.put("digest", manifestDigest);
        amd.put("size", manifestBytes.length);
        amd.putObject("platform").put("os", "linux").put("architecture", "amd64");
        return registry.putManifest(repository, tag, Manifests.OCI_INDEX, JSON.writeValueAsBytes(idx));
    }
}
