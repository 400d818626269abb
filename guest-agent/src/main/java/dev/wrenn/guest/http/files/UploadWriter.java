package dev.wrenn.guest.http.files;

import dev.wrenn.guest.http.server.RequestBody;
import dev.wrenn.guest.http.transport.HttpError;
import dev.wrenn.guest.http.transport.StorageErrors;
import dev.wrenn.guest.user.GuestUser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one uploaded file in place (create or truncate, like envd: keeps the inode, the mode of an existing file,
 * symlinks, and gives watchers a write event on the file itself) and chowns it to the user. When the upload fails
 * part-way the file is removed, so no half-written file is left behind.
 */
final class UploadWriter {
    /** Most uploads are small files: they never need a write-behind thread or a megabyte chunk. */
    private static final int HEAD_SIZE = 64 * 1024;

    private static final int CHUNKS_BEFORE_WRITE_BEHIND = 3;

    private UploadWriter() {}

    static void write(Path target, InputStream content, GuestUser user) throws IOException {
        Ownership.createParents(target, user);
        if (Files.isDirectory(target)) {
            throw HttpError.badRequest("cannot write '" + target + "': it is a directory");
        }
        FileChannel file = open(target);
        try (file) {
            Ownership.chown(target, user);
            copy(content, file, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        }
    }

    private static FileChannel open(Path target) {
        try {
            return FileChannel.open(
                    target, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw StorageErrors.toHttpError("creating '" + target + "'", e);
        }
    }

    /**
     * Separates the two failure sides: a broken request body is the client's (400), a failed write the disk's. A raw
     * body from the agent's own server goes straight into a direct buffer; a decoded one (gzip, a multipart part)
     * arrives in small reads, and one file write per read cost more than the network side, so it is written in whole
     * chunks: a small body at once, the first megabytes chunk by chunk, and the rest of a large file
     * with the writes running behind the reads on their own thread (which costs more than it saves on a small file).
     */
    private static void copy(InputStream content, FileChannel file, Path target) throws IOException {
        if (content instanceof RequestBody body && !body.shorterThan(HEAD_SIZE)) {
            copyDirect(body, file, target);
            return;
        }
        if (copied(content, new byte[HEAD_SIZE], file, target)) {
            return;
        }
        try (TransferChunk chunk = TransferChunk.lease()) {
            for (int i = 0; i < CHUNKS_BEFORE_WRITE_BEHIND; i++) {
                if (copied(content, chunk.bytes(), file, target)) {
                    return;
                }
            }
        }
        copyBehind(content, file, target);
    }

    /**
     * A raw body straight from the agent's own server: socket to direct buffer to file, a megabyte per read and per
     * write, with no array in between (the fast path of every octet-stream upload).
     */
    private static void copyDirect(RequestBody body, FileChannel file, Path target) {
        try (DirectChunk chunk = DirectChunk.lease()) {
            ByteBuffer buffer = chunk.buffer();
            boolean ended = false;
            while (!ended) {
                buffer.clear();
                while (buffer.hasRemaining() && !ended) {
                    ended = readDirect(body, buffer, target) < 0;
                }
                writeChunk(file, buffer.flip(), target);
            }
        }
    }

    private static int readDirect(RequestBody body, ByteBuffer buffer, Path target) {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            throw HttpError.badRequest("reading the upload body for '" + target + "': " + e.getMessage());
        }
    }

    /** Copies one chunk's worth; true when that reached the end of the body. */
    private static boolean copied(InputStream content, byte[] chunk, FileChannel file, Path target) {
        int filled = fill(content, chunk, target);
        writeChunk(file, ByteBuffer.wrap(chunk, 0, filled), target);
        return filled < chunk.length;
    }

    private static void copyBehind(InputStream content, FileChannel file, Path target) throws IOException {
        try (WriteBehind behind = new WriteBehind(file, target)) {
            int filled;
            int capacity;
            do {
                byte[] chunk = behind.emptyChunk();
                capacity = chunk.length;
                filled = fill(content, chunk, target);
                behind.write(chunk, filled);
            } while (filled == capacity);
            behind.finish();
        }
    }

    /** Reads until the chunk is full or the body ends; answers how many bytes it holds. */
    private static int fill(InputStream content, byte[] chunk, Path target) {
        int filled = 0;
        while (filled < chunk.length) {
            int read = readChunk(content, chunk, filled, target);
            if (read < 0) {
                break;
            }
            filled += read;
        }
        return filled;
    }

    private static int readChunk(InputStream content, byte[] chunk, int offset, Path target) {
        try {
            return content.read(chunk, offset, chunk.length - offset);
        } catch (IOException e) {
            throw HttpError.badRequest("reading the upload body for '" + target + "': " + e.getMessage());
        }
    }

    static void writeChunk(FileChannel file, ByteBuffer data, Path target) {
        try {
            while (data.hasRemaining()) {
                file.write(data);
            }
        } catch (IOException e) {
            throw StorageErrors.toHttpError("writing '" + target + "'", e);
        }
    }
}
