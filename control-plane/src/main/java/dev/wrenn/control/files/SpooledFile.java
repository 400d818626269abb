package dev.wrenn.control.files;

import dev.wrenn.control.error.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * An uploaded file's content held until the whole of it arrived: the first {@link #IN_MEMORY_BYTES} in memory, the
 * rest in an owner-only file under the spool directory (in the data directory), deleted on {@link #close}. So an
 * all-or-nothing upload costs at most 1 MiB of heap per request, whatever the upload limit.
 */
final class SpooledFile implements AutoCloseable {
    static final int IN_MEMORY_BYTES = 1024 * 1024;
    private static final int COPY_BUFFER = 64 * 1024;

    private final byte[] head;
    private final Path file;

    private SpooledFile(byte[] head, Path file) {
        this.head = head;
        this.file = file;
    }

    /** Reads {@code in} to its end. @throws ApiException {@code tooLarge} past {@code limit} bytes, nothing kept */
    static SpooledFile read(InputStream in, long limit, Path spoolDir, Supplier<ApiException> tooLarge)
            throws IOException {
        byte[] head = in.readNBytes((int) Math.min(IN_MEMORY_BYTES, limit + 1));
        if (head.length > limit) {
            throw tooLarge.get();
        }
        if (head.length < IN_MEMORY_BYTES) {
            return new SpooledFile(head, null);
        }
        Path file = newSpoolFile(spoolDir);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head);
            copyAtMost(in, out, limit - head.length, tooLarge);
            return new SpooledFile(new byte[0], file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The whole content, from the start. */
    InputStream open() throws IOException {
        return file == null ? new ByteArrayInputStream(head) : Files.newInputStream(file);
    }

    /** Whether the content went to disk (for tests). */
    boolean onDisk() {
        return file != null;
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    private static void copyAtMost(InputStream in, OutputStream out, long room, Supplier<ApiException> tooLarge)
            throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long left = room;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (n > left) {
                throw tooLarge.get();
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static Path newSpoolFile(Path spoolDir) throws IOException {
        if (!Files.isDirectory(spoolDir)) {
            Files.createDirectories(
                    spoolDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempFile(
                spoolDir,
                "upload-",
                ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
}
