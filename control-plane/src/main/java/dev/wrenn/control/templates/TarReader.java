package dev.wrenn.control.templates;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads the entries of an uploaded build-context archive (tar, gzipped or not: the SDK gzips by default) in order,
 * for the checks before a build: safe names and E2B's files hash. Understands ustar, pax ({@code path},
 * {@code linkpath}, {@code size}) and GNU long names, which is what the SDK's tar library writes. The archive itself
 * is unpacked only inside the build's VM, never on the control plane.
 */
final class TarReader implements AutoCloseable {
    static final int BLOCK = 512;

    /** One entry; {@code type} is the tar type flag ('0' file, '5' directory, '2' symlink, …). */
    record Entry(String name, int mode, long size, char type, String linkName) {
        boolean isDirectory() {
            return type == '5';
        }

        boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }

        boolean isSymlink() {
            return type == '2';
        }
    }

    private final InputStream in;
    private long remaining;
    private long entrySize;

    TarReader(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 64 * 1024);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        this.in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered, 64 * 1024) : buffered;
    }

    /** The next entry, its content unread; null at the end of the archive. */
    Entry next() throws IOException {
        skipRest();
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        String longLink = null;
        for (; ; ) {
            byte[] header = in.readNBytes(BLOCK);
            if (header.length < BLOCK) {
                if (header.length == 0) {
                    return null;
                }
                throw new IOException("the archive ends inside a header");
            }
            if (isZero(header)) {
                return null;
            }
            checkSum(header);
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            if (size < 0) {
                throw new IOException("an entry has a negative size");
            }
            if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                if (size > 1024 * 1024) {
                    throw new IOException("an extended header is larger than 1 MiB");
                }
                byte[] data = in.readNBytes((int) size);
                if (data.length < size) {
                    throw new IOException("the archive ends inside an extended header");
                }
                in.skipNBytes(padding(size));
                if (type == 'x') {
                    pax.putAll(paxRecords(data));
                } else if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else if (type == 'K') {
                    longLink = cString(data, 0, data.length);
                }
                continue;
            }
            String name = cString(header, 0, 100);
            String magic = cString(header, 257, 6);
            if (magic.startsWith("ustar")) {
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            name = pax.getOrDefault("path", longName != null ? longName : name);
            String link = pax.getOrDefault("linkpath", longLink != null ? longLink : cString(header, 157, 100));
            if (pax.containsKey("size")) {
                size = Long.parseLong(pax.get("size").strip());
            }
            int mode = (int) octal(header, 100, 8);
            entrySize = type == '5' || type == '2' || type == '1' ? 0 : size;
            remaining = entrySize;
            return new Entry(name, mode, size, type, link);
        }
    }

    /** The current entry's content, up to its end. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(buf, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new IOException("the archive ends inside an entry");
                }
                remaining -= n;
                return n;
            }
        };
    }

    /** Skips what is left of the current entry's content and its padding to the next header. */
    private void skipRest() throws IOException {
        long total = remaining + padding(entrySize);
        remaining = 0;
        entrySize = 0;
        if (total > 0) {
            try {
                in.skipNBytes(total);
            } catch (java.io.EOFException e) {
                throw new IOException("the archive ends inside an entry");
            }
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkSum(byte[] header) throws IOException {
        long stored = octal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : (header[i] & 0xff);
        }
        if (sum != stored) {
            throw new IOException("not a tar archive (bad header checksum)");
        }
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (b[i] == ' ' || b[i] == 0)) {
            i++;
        }
        for (; i < end && b[i] >= '0' && b[i] <= '7'; i++) {
            v = v * 8 + (b[i] - '0');
        }
        if ((b[off] & 0x80) != 0) {
            throw new IOException("base-256 sizes are not supported");
        }
        return v;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static Map<String, String> paxRecords(byte[] data) throws IOException {
        Map<String, String> records = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("a bad pax record");
            }
            if (length <= 0 || pos + length > data.length) {
                throw new IOException("a bad pax record");
            }
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                records.put(record.substring(0, eq), record.substring(eq + 1));
            }
            pos += length;
        }
        return records;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
