package dev.wrenn.control.files;

import dev.wrenn.control.error.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The upload form: a {@code path} field (the absolute path in the guest) and a {@code file} field (the content, held
 * by a {@link SpooledFile} until closed).
 */
record UploadForm(String path, SpooledFile content) implements AutoCloseable {
    /** Room for the boundaries and part headers around the file. */
    static final long MAX_FRAMING_BYTES = 64 * 1024;

    static final int MAX_PATH_LENGTH = 4096;

    /** Receives the file's content as it arrives. */
    @FunctionalInterface
    interface FileSink {
        void accept(String path, InputStream content) throws IOException;
    }

    /**
     * Reads the whole form, the file up to {@code limit} bytes (spooled to {@code spoolDir} past 1 MiB). Fields may
     * come in any order; on any refusal nothing is left behind.
     */
    static UploadForm buffered(MultipartReader form, long limit, Path spoolDir, Supplier<ApiException> tooLarge)
            throws IOException {
        String path = null;
        SpooledFile content = null;
        try {
            for (MultipartReader.Part part = form.next(); part != null; part = form.next()) {
                if ("path".equals(part.name())) {
                    path = text(part);
                } else if ("file".equals(part.name()) && content == null) {
                    content = SpooledFile.read(part.content(), limit, spoolDir, tooLarge);
                }
            }
            if (content == null) {
                throw ApiException.invalid("the form has no 'file' field");
            }
            return new UploadForm(checkedPath(path), content);
        } catch (IOException | RuntimeException e) {
            if (content != null) {
                content.close();
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        content.close();
    }

    /**
     * Hands the file's content to {@code sink} while it is still arriving. The {@code path} field must come first,
     * since the destination must be known before the first byte is passed on.
     */
    static void streamed(MultipartReader form, FileSink sink) throws IOException {
        String path = null;
        for (MultipartReader.Part part = form.next(); part != null; part = form.next()) {
            if ("path".equals(part.name())) {
                path = text(part);
            } else if ("file".equals(part.name())) {
                if (path == null) {
                    throw ApiException.invalid("the form field 'path' must come before 'file'");
                }
                sink.accept(checkedPath(path), part.content());
                return;
            }
        }
        throw ApiException.invalid("the form has no 'file' field");
    }

    static String checkedPath(String path) {
        if (path == null || path.isBlank()) {
            throw ApiException.invalid("path is required");
        }
        if (path.length() > MAX_PATH_LENGTH || path.indexOf('\0') >= 0) {
            throw ApiException.invalid("path must be at most " + MAX_PATH_LENGTH + " characters, without NUL");
        }
        return path;
    }

    private static String text(MultipartReader.Part part) throws IOException {
        byte[] bytes = part.content().readNBytes(MAX_PATH_LENGTH * 4 + 1);
        if (bytes.length > MAX_PATH_LENGTH * 4) {
            throw ApiException.invalid("the form field '" + part.name() + "' is too long");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
