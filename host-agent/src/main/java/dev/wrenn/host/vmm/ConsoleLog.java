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

    /** The most a console file holds: a guest printing without end must not fill the host's disk. */
    public static final long MAX_BYTES = 4L << 20;

    private static final int TAIL_BYTES = 8192;
    private static final byte[] CUT_MARK =
            "\n[wrenn: console cut here, older output dropped]\n".getBytes(StandardCharsets.US_ASCII);

    /** The last {@code lines} lines, joined with newlines; "(console empty)" when nothing was printed. */
    public String tail(int lines) {
        List<String> all = withoutCallTraces(readEnd()
                .lines()
                .map(String::stripTrailing)
                .filter(l -> !l.isEmpty())
                .toList());
        if (all.isEmpty()) {
            return "(console empty)";
        }
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public String tail() {
        return tail(TAIL_LINES);
    }

    /**
     * Drops kernel call traces (from "Call Trace:" to "</TASK>"): a panic's trace is dozens of lines and would push
     * out the lines that say why, such as init's last message and the panic reason.
     */
    static List<String> withoutCallTraces(List<String> lines) {
        List<String> kept = new java.util.ArrayList<>();
        boolean inTrace = false;
        for (String line : lines) {
            if (line.contains("Call Trace:")) {
                inTrace = true;
            } else if (inTrace && line.contains("</TASK>")) {
                inTrace = false;
            } else if (!inTrace) {
                kept.add(line);
            }
        }
        return kept;
    }

    /**
     * Keeps the file at most {@code maxBytes}: past that, its last half is kept behind a marker line. QEMU writes
     * it with O_APPEND, so its next write lands after what is kept. A write QEMU makes in the microseconds between the
     * last read and the truncation is lost (only a guest flooding its console gets here).
     *
     * @return whether the file was cut
     */
    public boolean rotate(long maxBytes) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) <= maxBytes) {
            return false;
        }
        byte[] kept;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long keep = maxBytes / 2 - CUT_MARK.length;
            long start = Math.max(0, raf.length() - keep);
            kept = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(kept);
            kept = withWhatArrivedSince(raf, start + kept.length, kept);
            raf.setLength(0);
        }
        try (var out = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.APPEND)) {
            out.write(java.nio.ByteBuffer.wrap(CUT_MARK));
            out.write(java.nio.ByteBuffer.wrap(kept));
        }
        return true;
    }

    /** What QEMU appended while the tail was read, so that the cut loses as little of the newest output as it can. */
    private static byte[] withWhatArrivedSince(RandomAccessFile raf, long end, byte[] kept) throws IOException {
        long grown = raf.length() - end;
        if (grown <= 0) {
            return kept;
        }
        byte[] all = java.util.Arrays.copyOf(kept, kept.length + (int) grown);
        raf.seek(end);
        raf.readFully(all, kept.length, (int) grown);
        return all;
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
            // The console carries terminal escapes, \r and other control characters: keep text and newlines.
            return new String(bytes, StandardCharsets.ISO_8859_1)
                    .replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "")
                    .replaceAll("[\\x00-\\x08\\x0b-\\x1f\\x7f]", "");
        } catch (IOException e) {
            return "(console " + file + " unreadable: " + e.getMessage() + ")";
        }
    }
}
