package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies image layers, bottom first, onto a root directory as a container runtime does: whiteouts ({@code .wh.NAME}
 * removes NAME of lower layers, {@code .wh..wh..opq} empties a directory of what lower layers put there), owners,
 * modes (setuid included), times, symlinks, hard links and extended attributes kept.
 *
 * <p>Layers are hostile: names with {@code ..} are refused, absolute names are taken relative to the root, and the
 * directories on the way to an entry are resolved inside the root, following symlinks as the image would see them
 * (an absolute target starts again at the root, {@code ..} stops at it), so no entry, link or whiteout can reach
 * outside. The final component is never followed. The total bytes written and the number of entries are capped.
 * Device nodes and FIFOs are skipped (the guest's devtmpfs provides devices).
 */
final class LayerApplier {
    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final int MAX_SYMLINK_HOPS = 40;
    private static final int MAX_NAME = 4096;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final long maxBytes;
    private final long maxEntries;
    private long bytes;
    private long entries;
    private int skippedDevices;
    private int skippedXattrs;

    LayerApplier(Path root, long maxBytes, long maxEntries) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    long bytesWritten() {
        return bytes;
    }

    int skippedDevices() {
        return skippedDevices;
    }

    int skippedXattrs() {
        return skippedXattrs;
    }

    /**
     * The directory {@code path} (relative to the root, or absolute inside it) resolved as the image sees it, created
     * when missing: where the build adds its own files (e.g. {@code sbin}, a symlink to usr/sbin in merged-usr images).
     */
    Path directory(String path) {
        try {
            return resolveParent(components(path + "/x", "(wrenn)"), "(wrenn)", true);
        } catch (IOException e) {
            throw new HostAgentException(ErrorCode.INTERNAL, "creating %s in the image: %s".formatted(path, e), e);
        }
    }

    /** Applies one layer file (gzip, zstd or plain tar, told apart by their first bytes). */
    void apply(Path layer, String name) {
        try (InputStream raw = Decompress.open(layer);
                TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            apply(tar, name);
        } catch (HostAgentException e) {
            throw e;
        } catch (IOException e) {
            throw bad(name, "cannot be read as a tar archive: " + e.getMessage());
        }
    }

    void apply(TarArchiveInputStream tar, String layerName) throws IOException {
        Set<String> ownEntries = new HashSet<>();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            if (++entries > maxEntries) {
                throw new HostAgentException(
                        ErrorCode.RESOURCE_EXHAUSTED, "the image has more than %d files".formatted(maxEntries));
            }
            List<String> parts = components(entry.getName(), layerName);
            if (parts.isEmpty()) {
                continue; // the root itself ("./"): its metadata stays Wrenn's
            }
            String base = parts.getLast();
            List<String> parentParts = parts.subList(0, parts.size() - 1);
            if (base.equals(OPAQUE)) {
                Path dir = resolveParent(parts, layerName, true);
                clearLower(dir, String.join("/", parentParts), ownEntries);
                continue;
            }
            if (base.startsWith(WHITEOUT)) {
                Path parent = resolveParent(parts, layerName, false);
                String hidden = base.substring(WHITEOUT.length());
                if (parent != null && !hidden.isEmpty() && !hidden.equals(".") && !hidden.equals("..")) {
                    deleteTree(parent.resolve(hidden));
                }
                continue;
            }
            Path parent = resolveParent(parts, layerName, true);
            Path target = parent.resolve(base);
            ownEntries.add(String.join("/", parts));
            write(tar, entry, target, layerName);
        }
    }

    private void write(TarArchiveInputStream tar, TarArchiveEntry entry, Path target, String layerName)
            throws IOException {
        if (entry.isDirectory()) {
            if (!Files.isDirectory(target, NOFOLLOW)) {
                deleteTree(target);
                Files.createDirectory(target);
            }
        } else if (entry.isSymbolicLink()) {
            String link = entry.getLinkName();
            if (link.isEmpty() || link.length() > MAX_NAME || link.indexOf('\0') >= 0) {
                throw bad(layerName, "symlink %s has an invalid target".formatted(entry.getName()));
            }
            deleteTree(target);
            Files.createSymbolicLink(target, Path.of(link));
        } else if (entry.isLink()) {
            List<String> sourceParts = components(entry.getLinkName(), layerName);
            if (sourceParts.isEmpty()) {
                throw bad(layerName, "hard link %s points at the root".formatted(entry.getName()));
            }
            Path source = resolveParent(sourceParts, layerName, false);
            Path file = source == null ? null : source.resolve(sourceParts.getLast());
            if (file == null || !Files.exists(file, NOFOLLOW) || Files.isDirectory(file, NOFOLLOW)) {
                throw bad(
                        layerName,
                        "hard link %s points at %s, which is not a file of the image"
                                .formatted(entry.getName(), entry.getLinkName()));
            }
            if (!file.equals(target)) {
                deleteTree(target);
                Files.createLink(target, file);
            }
            return; // a hard link shares the inode's metadata
        } else if (entry.isFile()) {
            deleteTree(target);
            long size = entry.getSize();
            if (size < 0 || bytes + size > maxBytes) {
                throw new HostAgentException(
                        ErrorCode.RESOURCE_EXHAUSTED,
                        "the image unpacks to more than %d MiB (at %s)".formatted(maxBytes >> 20, entry.getName()));
            }
            try (OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                bytes += tar.transferTo(out);
            }
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            skippedDevices++;
            return;
        } else {
            return; // other types (GNU volume headers and the like) carry no file
        }
        metadata(entry, target);
    }

    private void metadata(TarArchiveEntry entry, Path target) throws IOException {
        boolean symlink = entry.isSymbolicLink();
        Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId(), NOFOLLOW);
        Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId(), NOFOLLOW);
        if (!symlink) {
            // After the owner: chown clears setuid and setgid bits.
            Files.setAttribute(target, "unix:mode", entry.getMode() & 07777);
        }
        for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
            xattr(target, header.getKey(), header.getValue());
        }
        FileTime mtime = FileTime.from(entry.getLastModifiedDate().toInstant());
        Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(mtime, null, null);
    }

    /** SCHILY.xattr.NAME carries the value as text; LIBARCHIVE.xattr.NAME (URL-encoded name) as base64. */
    private void xattr(Path target, String key, String value) {
        byte[] bytes;
        String name;
        if (key.startsWith("SCHILY.xattr.")) {
            name = key.substring("SCHILY.xattr.".length());
            if (value.indexOf('\uFFFD') >= 0) {
                skippedXattrs++; // a binary value the pax reader could not keep
                return;
            }
            bytes = value.getBytes(StandardCharsets.UTF_8);
        } else if (key.startsWith("LIBARCHIVE.xattr.")) {
            name = java.net.URLDecoder.decode(key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
            try {
                bytes = Base64.getDecoder().decode(value.strip());
            } catch (IllegalArgumentException e) {
                skippedXattrs++;
                return;
            }
        } else {
            return;
        }
        try {
            Xattrs.set(target, name, bytes);
        } catch (IOException e) {
            skippedXattrs++;
        }
    }

    /**
     * The directory that holds the entry named by {@code parts}, resolved inside the root; missing directories are
     * created when {@code create}, else null is returned.
     */
    private Path resolveParent(List<String> parts, String layerName, boolean create) throws IOException {
        Deque<String> pending = new ArrayDeque<>(parts.subList(0, parts.size() - 1));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            if (part.equals(".") || part.isEmpty()) {
                continue;
            }
            Path here = join(done).resolve(part);
            if (Files.isSymbolicLink(here)) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw bad(layerName, "too many symlinks on the way to " + String.join("/", parts));
                }
                String link = Files.readSymbolicLink(here).toString();
                List<String> linkParts = List.of(link.split("/"));
                if (link.startsWith("/")) {
                    done.clear();
                }
                List<String> expanded = new ArrayList<>(linkParts);
                for (String rest : pending) {
                    expanded.add(rest);
                }
                pending.clear();
                pending.addAll(expanded);
                continue;
            }
            if (!Files.exists(here, NOFOLLOW)) {
                if (!create) {
                    return null;
                }
                Files.createDirectory(here);
            } else if (!Files.isDirectory(here, NOFOLLOW)) {
                if (!create) {
                    return null;
                }
                throw bad(
                        layerName,
                        "%s needs %s to be a directory, and it is not"
                                .formatted(String.join("/", parts), String.join("/", done) + "/" + part));
            }
            done.add(part);
        }
        return join(done);
    }

    private Path join(List<String> parts) {
        Path path = root;
        for (String part : parts) {
            path = path.resolve(part);
        }
        if (!path.normalize().startsWith(root)) {
            throw new IllegalStateException("resolved path left the root: " + path); // cannot happen: no .. kept
        }
        return path;
    }

    /** Empties {@code dir} of everything lower layers put there, keeping what this layer wrote before the marker. */
    private static void clearLower(Path dir, String prefix, Set<String> ownEntries) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.toList();
        }
        for (Path child : children) {
            String rel = (prefix.isEmpty() ? "" : prefix + "/") + child.getFileName();
            if (!ownEntries.contains(rel)) {
                deleteTree(child);
            } else if (Files.isDirectory(child, NOFOLLOW)) {
                clearLower(child, rel, ownEntries);
            }
        }
    }

    /** The entry's name as components: leading / and ./ dropped, {@code ..} refused. */
    static List<String> components(String name, String layerName) {
        if (name.length() > MAX_NAME || name.indexOf('\0') >= 0) {
            throw bad(layerName, "an entry name is longer than %d bytes or holds a NUL".formatted(MAX_NAME));
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw bad(layerName, "entry `%s` has a `..` component".formatted(name));
            }
            parts.add(part);
        }
        return parts;
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, NOFOLLOW)) {
            return;
        }
        if (Files.isDirectory(path, NOFOLLOW)) {
            List<Path> children;
            try (Stream<Path> list = Files.list(path)) {
                children = list.toList();
            }
            for (Path child : children) {
                deleteTree(child);
            }
        }
        try {
            Files.delete(path);
        } catch (NoSuchFileException | DirectoryNotEmptyException | FileAlreadyExistsException e) {
            throw new IOException("cannot delete " + path + ": " + e, e);
        }
    }

    private static HostAgentException bad(String layerName, String why) {
        return new HostAgentException(ErrorCode.FAILED_PRECONDITION, "layer %s: %s".formatted(layerName, why));
    }

    /** Tells gzip, zstd and plain tar apart by their magic bytes. */
    static final class Decompress {
        private Decompress() {}

        static InputStream open(Path file) throws IOException {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return new java.util.zip.GZIPInputStream(in, 1 << 16);
            }
            if (magic.length == 4
                    && (magic[0] & 0xff) == 0x28
                    && (magic[1] & 0xff) == 0xb5
                    && (magic[2] & 0xff) == 0x2f
                    && (magic[3] & 0xff) == 0xfd) {
                in.close();
                Process zstd = new ProcessBuilder("zstd", "-dcq", "--", file.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                return new java.io.FilterInputStream(zstd.getInputStream()) {
                    @Override
                    public void close() throws IOException {
                        super.close();
                        zstd.destroyForcibly();
                    }
                };
            }
            return in;
        }
    }
}
