package dev.wrenn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of one QEMU process from /proc/PID/smaps, split into the guest's RAM (the mapping of its
 * {@code memory.ram} file: the guest pages it has touched) and everything else (QEMU's own heap, code, TCG's
 * translation cache, I/O buffers): the second is the host's cost of a sandbox beyond the guest's own memory.
 */
record QemuMemory(long totalKib, long guestRamKib) {

    long ownKib() {
        return totalKib - guestRamKib;
    }

    static QemuMemory of(long pid) throws IOException {
        long total = 0;
        long guest = 0;
        boolean inGuestRam = false;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                inGuestRam = line.endsWith("/memory.ram");
            } else if (line.startsWith("Rss:")) {
                long kib = Long.parseLong(line.replaceAll("\\D", ""));
                total += kib;
                guest += inGuestRam ? kib : 0;
            }
        }
        return new QemuMemory(total, guest);
    }
}
