package dev.wrenn.host.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a cpio archive in the kernel's initramfs format ("newc"), so test fixtures need no cpio binary. */
final class CpioWriter implements AutoCloseable {
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int CHAR_DEVICE = 0020000;

    private final OutputStream out;
    private long written;
    private int inode = 1;

    CpioWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String path) throws IOException {
        entry(path, DIRECTORY | 0755, new byte[0], 0, 0);
    }

    void file(String path, int permissions, byte[] content) throws IOException {
        entry(path, REGULAR | permissions, content, 0, 0);
    }

    void charDevice(String path, int major, int minor) throws IOException {
        entry(path, CHAR_DEVICE | 0600, new byte[0], major, minor);
    }

    @Override
    public void close() throws IOException {
        entry("TRAILER!!!", 0, new byte[0], 0, 0);
        out.close();
    }

    private void entry(String name, int mode, byte[] content, int rdevMajor, int rdevMinor) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        String header = "070701"
                + hex(inode++) + hex(mode) + hex(0) + hex(0) + hex(1) + hex(0) + hex(content.length)
                + hex(0) + hex(0) + hex(rdevMajor) + hex(rdevMinor) + hex(nameBytes.length) + hex(0);
        write(header.getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        pad();
        write(content);
        pad();
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            write(new byte[] {0});
        }
    }

    private static String hex(int value) {
        return "%08x".formatted(value);
    }
}
