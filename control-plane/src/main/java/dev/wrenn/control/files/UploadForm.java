package dev.wrenn.control.files;

import dev.wrenn.control.error.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** The upload form: a {@code path} field (the absolute path in the guest) and a {@code file} field (the content). */
record UploadForm(String path, byte[] content) {
    /** Room for the boundaries and part headers around the file. */
    static final long MAX_FRAMING_BYTES = 64 * 1024;

    static final int MAX_PATH_LENGTH = 4096;

    /** Receives the file's content as it arrives. */
    @FunctionalInterface
    interface FileSink {
        void accept(String path, InputStream content) throws IOException;
    }

    /** Reads the whole form, the file into memory up to {@code limit} bytes. Fields may come in any order. */
    static UploadForm buffered(MultipartReader form, long limit, Supplier<ApiException> tooLarge) throws IOException {
        String path = null;
        byte[] content = null;
        for (MultipartReader.Part part = form.next(); part != null; part = form.next()) {
            if ("path".equals(part.name())) {
                path = text(part);
            } else if ("file".equals(part.name())) {
                content = part.content().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
                if (content.length > limit) {
                    throw tooLarge.get();
                }
            }
        }
        if (content == null) {
            throw ApiException.invalid("the form has no 'file' field");
        }
        return new UploadForm(checkedPath(path), content);
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
