package dev.wrenn.host.vmm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A VM's serial console file; its last lines go into every boot failure and unexpected-exit report. */
public record ConsoleLog(Path file) {
    /** Enough for the kernel's or init's last complaint, without flooding an error message. */
    public static final int TAIL_LINES = 15;

    private static final int TAIL_BYTES = 8192;

    /** The last {@code lines} lines, joined with newlines; "(console empty)" when nothing was printed. */
    public String tail(int lines) {
        List<String> all = readEnd()
                .lines()
                .map(String::stripTrailing)
                .filter(l -> !l.isEmpty())
                .toList();
        if (all.isEmpty()) {
            return "(console empty)";
        }
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public String tail() {
        return tail(TAIL_LINES);
    }

    private String readEnd() {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(bytes);
            // The console carries control characters and \r from the guest; keep printable text only.
            return new String(bytes, StandardCharsets.ISO_8859_1)
                    .replace("\r", "")
                    .replaceAll("[\\x00-\\x08\\x0b-\\x1f\\x7f]", "");
        } catch (IOException e) {
            return "(console " + file + " unreadable: " + e.getMessage() + ")";
        }
    }
}
