package dev.wrenn.guest.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.Map;

/** PLACEHOLDER for the filesystem helper's class (replaced at merge): user metadata kept as user.e2b.* xattrs. */
public final class FileMetadata {
    private static final String PREFIX = "e2b.";

    private FileMetadata() {}

    public static Map<String, String> read(Path path) {
        try {
            UserDefinedFileAttributeView view = view(path);
            Map<String, String> metadata = new HashMap<>();
            for (String name : view.list()) {
                if (name.startsWith(PREFIX)) {
                    ByteBuffer buffer = ByteBuffer.allocate(view.size(name));
                    view.read(name, buffer);
                    metadata.put(name.substring(PREFIX.length()), new String(buffer.array(), StandardCharsets.UTF_8));
                }
            }
            return metadata;
        } catch (IOException e) {
            throw new UncheckedIOException("reading metadata of " + path, e);
        }
    }

    public static void replace(Path path, Map<String, String> metadata) {
        try {
            UserDefinedFileAttributeView view = view(path);
            for (String name : view.list()) {
                if (name.startsWith(PREFIX)) {
                    view.delete(name);
                }
            }
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                view.write(PREFIX + entry.getKey(), StandardCharsets.UTF_8.encode(entry.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("replacing metadata of " + path, e);
        }
    }

    private static UserDefinedFileAttributeView view(Path path) {
        return Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
    }
}
