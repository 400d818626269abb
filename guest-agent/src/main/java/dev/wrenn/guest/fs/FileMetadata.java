package dev.wrenn.guest.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * User metadata of a file, kept where envd keeps it so files keep their metadata across agents: extended
 * attributes {@code user.e2b.<key>} (the attribute view adds the {@code user.} prefix itself), keys lower-cased.
 */
public final class FileMetadata {
    private static final String PREFIX = "e2b.";

    private FileMetadata() {}

    /**
     * The metadata of {@code path} (following symlinks), keys in order. Empty when the file has none, is gone, or
     * lives on a filesystem without user extended attributes: metadata is an extra, never a reason to fail a stat.
     */
    public static Map<String, String> read(Path path) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
        if (view == null) {
            return Map.of();
        }
        try {
            SortedMap<String, String> metadata = new TreeMap<>();
            for (String name : view.list()) {
                if (name.startsWith(PREFIX)) {
                    metadata.put(name.substring(PREFIX.length()), readValue(view, name));
                }
            }
            return Collections.unmodifiableSortedMap(metadata);
        } catch (IOException | UnsupportedOperationException e) {
            return Map.of();
        }
    }

    /**
     * Replaces all metadata of {@code path} with {@code metadata} (keys lower-cased); an empty map clears it. On a
     * filesystem without user extended attributes clearing is a no-op (there is nothing to clear).
     *
     * @throws UncheckedIOException when the attributes cannot be written, naming the file
     */
    public static void replace(Path path, Map<String, String> metadata) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
        if (view == null) {
            if (metadata.isEmpty()) {
                return;
            }
            throw new UncheckedIOException(new IOException("writing metadata of " + path + ": not supported"));
        }
        try {
            List<String> names;
            try {
                names = view.list();
            } catch (IOException | UnsupportedOperationException e) {
                if (metadata.isEmpty()) {
                    return;
                }
                throw e;
            }
            for (String name : names) {
                if (name.startsWith(PREFIX)) {
                    view.delete(name);
                }
            }
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                String name = PREFIX + entry.getKey().toLowerCase(Locale.ROOT);
                view.write(name, StandardCharsets.UTF_8.encode(entry.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing metadata of " + path + ": " + e.getMessage(), e);
        }
    }

    private static String readValue(UserDefinedFileAttributeView view, String name) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(view.size(name));
        view.read(name, buffer);
        return StandardCharsets.UTF_8.decode(buffer.flip()).toString();
    }
}
