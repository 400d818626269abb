package dev.wrenn.launcher.campaigns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A process's open file descriptors, threads and resident memory, read from /proc; and how many QEMU processes are
 * its children. For {@code wrenn up} that is the host agent and the control plane together (one JVM).
 */
record ProcessStats(long fds, long threads, long rssKib, long qemuChildren) {
    static ProcessStats of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        long fds;
        try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
            fds = entries.count();
        } catch (IOException e) {
            throw new CampaignFailure(
                    "process stats",
                    "cannot read " + proc + "/fd (is the process alive, and are" + " we root?): " + e.getMessage());
        }
        long threads = statusField(proc, "Threads:");
        long rss = statusField(proc, "VmRSS:");
        long qemu = ProcessHandle.of(pid)
                .map(handle -> handle.children()
                        .filter(child -> child.info().command().orElse("").contains("qemu"))
                        .count())
                .orElse(0L);
        return new ProcessStats(fds, threads, rss, qemu);
    }

    private static long statusField(Path proc, String field) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new CampaignFailure("process stats", "cannot read " + field + " of " + proc + ": " + e.getMessage());
        }
        throw new CampaignFailure("process stats", proc + "/status has no " + field);
    }

    long rssMib() {
        return rssKib / 1024;
    }

    @Override
    public String toString() {
        return "fds %d, threads %d, RSS %d MiB, QEMU children %d".formatted(fds, threads, rssMib(), qemuChildren);
    }
}
