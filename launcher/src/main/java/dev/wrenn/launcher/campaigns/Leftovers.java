package dev.wrenn.launcher.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a campaign may have left behind once it destroyed everything it made: QEMU processes running on its data
 * directory, network namespaces in its slot range, sandbox rows the API still lists, and entries under the data
 * directory's {@code sandboxes/}, {@code snapshots/} and {@code templates/} that the API does not know. The three
 * directories themselves are the host agent's and never count; neither do its base templates ({@code _base-*},
 * made once per image version and shape and reused by every create).
 */
final class Leftovers {
    private static final String NETNS_PREFIX = "wrenn-ns-";

    private final Path dataDir;
    private final int firstSlot;
    private final int slots;

    /** @param dataDir null when unknown (a remote Wrenn): the process and file checks are then left out */
    Leftovers(Path dataDir, int firstSlot, int slots) {
        this.dataDir = dataDir;
        this.firstSlot = firstSlot;
        this.slots = slots;
    }

    /** Everything left, one line each; empty when clean. {@code made} are the sandbox ids the campaign created. */
    List<String> find(WrennApi api, Set<String> made) {
        List<String> left = new ArrayList<>();
        Set<String> live = new HashSet<>();
        Set<String> paused = new HashSet<>();
        for (JsonNode sandbox : api.sandboxes()) {
            String id = sandbox.path("id").asText();
            live.add(id);
            if (sandbox.path("status").asText().equals("paused")) {
                paused.add(id);
            }
            if (made.contains(id)) {
                left.add(
                        "sandbox row " + id + " still " + sandbox.path("status").asText());
            }
        }
        Set<String> templates = new HashSet<>();
        for (JsonNode template : api.templates()) {
            if (template.hasNonNull("id")) {
                templates.add(template.path("id").asText());
            }
        }
        if (dataDir != null) {
            left.addAll(qemuOnDataDir());
            left.addAll(files(dataDir, live, paused, templates));
        }
        left.addAll(namespacesInSlotRange());
        return left;
    }

    /**
     * Entries under {@code sandboxes/}, {@code snapshots/} and {@code templates/} that are not a live sandbox, a paused
     * sandbox's snapshot, a listed template or one of the host agent's base templates. The directories themselves are
     * never listed, only what is inside them.
     */
    static List<String> files(Path dataDir, Set<String> live, Set<String> paused, Set<String> templates) {
        List<String> left = new ArrayList<>();
        left.addAll(unknownEntries(dataDir, "sandboxes", live));
        left.addAll(unknownEntries(dataDir, "snapshots", paused));
        for (String entry : entries(dataDir, "templates")) {
            if (!entry.startsWith("_base-") && !templates.contains(entry)) {
                left.add("file " + dataDir.resolve("templates").resolve(entry) + " (no such template)");
            }
        }
        return left;
    }

    /** Looks again for up to {@code seconds} while something is left: a destroy may still be finishing its cleanup. */
    List<String> findSettled(WrennApi api, Set<String> made, int seconds) throws InterruptedException {
        List<String> left = find(api, made);
        for (int waited = 0; !left.isEmpty() && waited < seconds; waited++) {
            Thread.sleep(1000);
            left = find(api, made);
        }
        return left;
    }

    private static List<String> unknownEntries(Path dataDir, String dir, Set<String> known) {
        List<String> left = new ArrayList<>();
        for (String entry : entries(dataDir, dir)) {
            if (!known.contains(entry)) {
                left.add("file " + dataDir.resolve(dir).resolve(entry) + " (the API lists no such "
                        + (dir.equals("snapshots") ? "paused sandbox" : "sandbox") + ")");
            }
        }
        return left;
    }

    /** The names inside {@code dataDir/dir} (never the directory itself); none when it does not exist yet. */
    private static List<String> entries(Path dataDir, String dir) {
        Path path = dataDir.resolve(dir);
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("<cannot list " + path + ": " + e.getMessage() + ">");
        }
    }

    private List<String> qemuOnDataDir() {
        String marker = dataDir + "/";
        List<String> left = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(process -> {
            Path proc = Path.of("/proc", Long.toString(process.pid()));
            try {
                String comm = Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8)
                        .strip();
                if (!comm.startsWith("qemu")) {
                    return;
                }
                String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
                if (cmdline.contains(marker)) {
                    left.add("QEMU process " + process.pid() + " on " + dataDir);
                }
            } catch (IOException gone) {
                // the process ended while we looked
            }
        });
        return left;
    }

    private List<String> namespacesInSlotRange() {
        List<String> left = new ArrayList<>();
        Path netns = Path.of("/run/netns");
        if (!Files.isDirectory(netns)) {
            return left;
        }
        try (Stream<Path> names = Files.list(netns)) {
            for (String name : names.map(p -> p.getFileName().toString()).toList()) {
                if (!name.startsWith(NETNS_PREFIX)) {
                    continue;
                }
                try {
                    int slot = Integer.parseInt(name.substring(NETNS_PREFIX.length()));
                    if (slot >= firstSlot && slot < firstSlot + slots) {
                        left.add("network namespace " + name);
                    }
                } catch (NumberFormatException notOurs) {
                    // not a slot's namespace
                }
            }
        } catch (IOException e) {
            left.add("<cannot list /run/netns: " + e.getMessage() + ">");
        }
        return left;
    }
}
