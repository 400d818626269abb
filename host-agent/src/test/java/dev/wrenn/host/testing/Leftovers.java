package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxRuleset;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sandbox.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a sandbox may leave on the host, checked the way an operator would: by name, path and process. */
public final class Leftovers {
    private static final Ip IP = new Ip();
    private static final Nft NFT = new Nft();

    private Leftovers() {}

    public static void assertNone(DataDir dataDir, SlotRange slots) {
        assertThat(IP.listNetns()).as("network namespaces").noneMatch(ns -> slots.owns(ns, Slot.NETNS_PREFIX));
        assertThat(IP.listLinks(null)).as("host links").noneMatch(link -> slots.owns(link, Slot.VETH_PREFIX));
        assertThat(NFT.listTables(null))
                .as("host nft tables")
                .noneMatch(t -> slots.owns(t.replaceFirst("^\\S+ ", ""), SandboxRuleset.HOST_TABLE_PREFIX));
        assertThat(sandboxFiles(dataDir))
                .as("files under " + dataDir.sandboxes())
                .isEmpty();
        assertThat(qemusOf(dataDir)).as("QEMU processes of " + dataDir.root()).isEmpty();
        assertThat(mountsUnder(dataDir)).as("mounts under " + dataDir.root()).isEmpty();
    }

    public static List<ProcessHandle> qemusOf(DataDir dataDir) {
        String root = dataDir.root() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(arg -> arg.contains(root)))
                .toList();
    }

    private static List<Path> sandboxFiles(DataDir dataDir) {
        if (!Files.isDirectory(dataDir.sandboxes())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dataDir.sandboxes())) {
            return files.toList();
        } catch (IOException e) {
            throw new AssertionError("listing " + dataDir.sandboxes(), e);
        }
    }

    private static List<String> mountsUnder(DataDir dataDir) {
        try {
            return Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" ")[1])
                    .filter(mountPoint -> mountPoint.startsWith(dataDir.root() + "/"))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("reading /proc/mounts", e);
        }
    }
}
