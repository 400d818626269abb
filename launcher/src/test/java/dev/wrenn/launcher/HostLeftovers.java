package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxRuleset;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What sandboxes of one data directory and slot range may leave on the host, looked up by name, path and process. */
final class HostLeftovers {
    private HostLeftovers() {}

    /** The QEMU processes whose command line names a path under {@code dataDir}. */
    static List<ProcessHandle> qemus(Path dataDir) {
        String root = dataDir + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(arg -> arg.contains(root)))
                .toList();
    }

    /** The QEMU process of sandbox {@code id} (QEMU runs with {@code -name wrenn-<id>}). */
    static ProcessHandle qemuOf(Path dataDir, String id) {
        return qemus(dataDir).stream()
                .filter(p ->
                        p.info().arguments().map(List::of).orElse(List.of()).contains("wrenn-" + id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no QEMU process of " + id));
    }

    /** No QEMU, namespace, link or nft table of the slots, nothing under sandboxes/ or snapshots/. */
    static void assertNone(Path dataDir, SlotRange slots) throws IOException {
        assertThat(qemus(dataDir)).as("QEMU processes of " + dataDir).isEmpty();
        assertThat(new Ip().listNetns()).as("network namespaces").noneMatch(ns -> slots.owns(ns, Slot.NETNS_PREFIX));
        assertThat(new Ip().listLinks(null)).as("host links").noneMatch(l -> slots.owns(l, Slot.VETH_PREFIX));
        assertThat(new Nft().listTables(null))
                .as("host nft tables")
                .noneMatch(t -> slots.owns(t.replaceFirst("^\\S+ ", ""), SandboxRuleset.HOST_TABLE_PREFIX));
        for (String dir : List.of("sandboxes", "snapshots")) {
            Path path = dataDir.resolve(dir);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    assertThat(files.toList()).as("files under " + path).isEmpty();
                }
            }
        }
    }
}
