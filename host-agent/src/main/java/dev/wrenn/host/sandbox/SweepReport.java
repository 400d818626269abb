package dev.wrenn.host.sandbox;

import java.nio.file.Path;
import java.util.List;

/** What a {@link Sweeper} run removed; everything here was left behind by an earlier agent. */
public record SweepReport(
        List<Long> killedPids, List<String> nftTables, List<String> links, List<String> netns, List<Path> files) {

    public boolean isEmpty() {
        return killedPids.isEmpty() && nftTables.isEmpty() && links.isEmpty() && netns.isEmpty() && files.isEmpty();
    }
}
