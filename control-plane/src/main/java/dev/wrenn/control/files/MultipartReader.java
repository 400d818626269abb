package dev.wrenn.control.files;

import dev.wrenn.control.error.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body part by part, each part's content as a stream straight from the request,
 * so that an upload of any size passes through a fixed 64 KiB buffer. Parts must be read in order.
 */
final class MultipartReader {
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i)[;\\s]name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)filename=\"([^\"]*)\"");

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer;
    private int start;
    private int end;
    private boolean lastPartSeen;
    private PartContent current;

    /** One part: its form field name, the file name if the part is a file, and its content. */
    record Part(String name, String filename, InputStream content) {}

    private MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buffer = new byte[BUFFER_BYTES + delimiter.length + MAX_HEADER_BYTES];
        // The first boundary has no line break before it; pretend it has, so every boundary looks the same.
        buffer[0] = '\r';
        buffer[1] = '\n';
        this.end = 2;
    }

    /** @throws ApiException 400 unless {@code contentType} is multipart/form-data with a boundary */
    static MultipartReader of(String contentType, InputStream in) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.invalid("the body must be multipart/form-data (got " + contentType + ")");
        }
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            throw ApiException.invalid("the multipart/form-data Content-Type has no boundary");
        }
        return new MultipartReader(in, boundary.group(1) != null ? boundary.group(1) : boundary.group(2));
    }

    /** The next part, after skipping what is left of the previous one; null after the last. */
    Part next() throws IOException {
        if (current != null) {
            current.transferTo(OutputStream.nullOutputStream());
            current = null;
        }
        if (lastPartSeen) {
            return null;
        }
        skipToDelimiter();
        start += delimiter.length;
        require(2);
        if (buffer[start] == '-' && buffer[start + 1] == '-') {
            lastPartSeen = true;
            return null;
        }
        String headers = readHeaders();
        current = new PartContent();
        return new Part(group(NAME, headers), group(FILENAME, headers), current);
    }

    private void skipToDelimiter() throws IOException {
        while (true) {
            int at = indexOfDelimiter();
            if (at >= 0) {
                start = at;
                return;
            }
            start = Math.max(start, end - delimiter.length + 1);
            if (!fill()) {
                throw malformed("no boundary found");
            }
        }
    }

    /** The part's header lines (after the boundary's line break, up to the blank line), consumed from the buffer. */
    private String readHeaders() throws IOException {
        while (true) {
            int blank = indexOf(new byte[] {'\r', '\n', '\r', '\n'}, start);
            if (blank >= 0) {
                String headers = new String(buffer, start, blank - start, StandardCharsets.UTF_8);
                start = blank + 4;
                return headers;
            }
            if (end - start > MAX_HEADER_BYTES || !fill()) {
                throw malformed("a part's headers do not end");
            }
        }
    }

    private int indexOfDelimiter() {
        return indexOf(delimiter, start);
    }

    private int indexOf(byte[] pattern, int from) {
        outer:
        for (int i = from; i + pattern.length <= end; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void require(int bytes) throws IOException {
        while (end - start < bytes) {
            if (!fill()) {
                throw malformed("the body ends inside a boundary");
            }
        }
    }

    /** Moves the unread bytes to the front and reads more; false at the end of the body. */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            return false;
        }
        end += read;
        return true;
    }

    private static String group(Pattern pattern, String headers) {
        Matcher m = pattern.matcher(headers);
        return m.find() ? m.group(1) : null;
    }

    private static ApiException malformed(String why) {
        return ApiException.invalid("malformed multipart body: " + why);
    }

    /** A part's bytes up to (not including) the next delimiter. */
    private final class PartContent extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            while (true) {
                int at = indexOfDelimiter();
                int available = (at >= 0 ? at : end - delimiter.length + 1) - start;
                if (available > 0) {
                    int n = Math.min(available, length);
                    System.arraycopy(buffer, start, target, offset, n);
                    start += n;
                    return n;
                }
                if (at >= 0) {
                    done = true;
                    return -1;
                }
                if (!fill()) {
                    throw malformed("the body ends without its closing boundary");
                }
            }
        }
    }
}
