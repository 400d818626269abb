package dev.wrenn.guest.http.files;

import dev.wrenn.guest.http.transport.HeaderParams;
import dev.wrenn.guest.http.transport.HttpError;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming multipart/form-data reader: parts are read straight from the request body through a fixed buffer,
 * so uploads of any size never sit in memory. Each part's body must be consumed (or is skipped) before the next.
 */
final class MultipartReader {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    /** One part: its headers (names lower-cased) and its body. */
    record Part(Map<String, String> headers, InputStream body) {
        private HeaderParams disposition() {
            return HeaderParams.parse(headers.getOrDefault("content-disposition", ""));
        }

        String name() {
            return disposition().param("name");
        }

        /** The file name exactly as sent, directories included: the SDKs put the target path there. */
        Optional<String> fileName() {
            return Optional.ofNullable(disposition().param("filename"));
        }
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final int[] skip;
    private final byte[] buffer;
    private int start;
    private int end;
    private boolean eof;
    private boolean inBody = true; // the preamble counts as a body to skip
    private boolean finished;
    private int partIndex;

    MultipartReader(InputStream body, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw HttpError.badRequest("multipart body without a valid boundary parameter");
        }
        // A virtual CRLF in front lets the first boundary match the same "\r\n--boundary" as all others.
        this.in = new SequenceInputStream(new ByteArrayInputStream(CRLF), body);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.skip = skipTable(delimiter);
        this.buffer = new byte[BUFFER_SIZE];
    }

    /** The next part, or empty after the closing boundary. */
    Optional<Part> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        skipBody();
        start += delimiter.length;
        if (startsWith("--")) {
            finished = true;
            return Optional.empty();
        }
        readLine(); // the rest of the boundary line: transport padding only
        Map<String, String> headers = readHeaders();
        inBody = true;
        partIndex++;
        return Optional.of(new Part(headers, new PartStream(partIndex)));
    }

    private void skipBody() throws IOException {
        byte[] scratch = new byte[8192];
        while (readBody(scratch, 0, scratch.length) >= 0) {
            // discard
        }
    }

    /** Reads body bytes up to (not including) the next delimiter; -1 once the delimiter is reached. */
    private int readBody(byte[] target, int offset, int length) throws IOException {
        while (inBody) {
            int found = indexOfDelimiter();
            int safe = found >= 0 ? found - start : end - start - (delimiter.length - 1);
            if (found == start) {
                inBody = false;
            } else if (safe > 0) {
                int count = Math.min(length, safe);
                System.arraycopy(buffer, start, target, offset, count);
                start += count;
                return count;
            } else if (!fill()) {
                throw new EOFException("multipart body ended before its closing boundary");
            }
        }
        return -1;
    }

    /**
     * Finds the delimiter in the unread bytes with Boyer-Moore-Horspool: on file data it looks at about one byte in
     * every delimiter length, where a byte-by-byte comparison capped uploads well below the network's speed.
     */
    private int indexOfDelimiter() {
        int last = delimiter.length - 1;
        for (int i = start; i <= end - delimiter.length; ) {
            int j = last;
            while (buffer[i + j] == delimiter[j]) {
                if (j == 0) {
                    return i;
                }
                j--;
            }
            i += skip[buffer[i + last] & 0xff];
        }
        return -1;
    }

    /** How far a window may move when its last byte is {@code b}: to align b with its last earlier occurrence. */
    private static int[] skipTable(byte[] pattern) {
        int[] skip = new int[256];
        Arrays.fill(skip, pattern.length);
        for (int i = 0; i < pattern.length - 1; i++) {
            skip[pattern[i] & 0xff] = pattern.length - 1 - i;
        }
        return skip;
    }

    /** Moves unread bytes to the front and reads more; false at end of stream. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            eof = true;
            return false;
        }
        end += read;
        return true;
    }

    private boolean startsWith(String text) throws IOException {
        while (end - start < text.length()) {
            if (!fill()) {
                throw new EOFException("multipart body ended inside a boundary line");
            }
        }
        return new String(buffer, start, text.length(), StandardCharsets.ISO_8859_1).equals(text);
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = start; i < end - 1; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    String line = new String(buffer, start, i - start, StandardCharsets.UTF_8);
                    start = i + 2;
                    return line;
                }
            }
            if (end - start >= MAX_HEADER_BYTES) {
                throw HttpError.badRequest("multipart header line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (!fill()) {
                throw new EOFException("multipart body ended inside a part's headers");
            }
        }
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new HashMap<>();
        int total = 0;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            total += line.length();
            int colon = line.indexOf(':');
            if (colon <= 0 || total > MAX_HEADER_BYTES) {
                throw HttpError.badRequest("malformed multipart part header '" + line + "'");
            }
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** The body of the current part: ends at the next delimiter. */
    private final class PartStream extends InputStream {
        private final int index;

        PartStream(int index) {
            this.index = index;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (index != partIndex) {
                return -1; // a later part has started: this one is over
            }
            return length == 0 ? 0 : readBody(target, offset, length);
        }
    }
}
