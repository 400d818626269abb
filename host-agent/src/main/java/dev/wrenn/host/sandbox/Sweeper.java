package dev.wrenn.host.sandbox;

import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxRuleset;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.sys.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims what a crashed agent left, found by naming convention only: QEMU processes whose command line names
 * our data directory, host nft tables {@code wrenn-egress-<i>}, links {@code wrenn-v<i>}, namespaces
 * {@code wrenn-ns-<i>} for the slots {@code i} of this agent's range, and everything under {@code sandboxes/}.
 * Runs before the agent accepts requests. Sandboxes that were running are reclaimed too: a new agent does not
 * adopt VMs it did not start (the control plane sees them gone and reconciles).
 */
public final class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);

    private final DataDir dataDir;
    private final Ip ip;
    private final Nft nft;
    private final SlotRange slots;

    public Sweeper(DataDir dataDir, Ip ip, Nft nft) {
        this(dataDir, ip, nft, SlotRange.ALL);
    }

    public Sweeper(DataDir dataDir, Ip ip, Nft nft, SlotRange slots) {
        this.dataDir = dataDir;
        this.ip = ip;
        this.nft = nft;
        this.slots = slots;
    }

    public SweepReport sweep() {
        SweepReport report = new SweepReport(
                killOurQemus(), deleteHostTables(), deleteLinks(), deleteNamespaces(), deleteSandboxFiles());
        if (!report.isEmpty()) {
            log.info("swept leftovers: {}", report);
        }
        return report;
    }

    private List<Long> killOurQemus() {
        List<ProcessHandle> ours =
                ProcessHandle.allProcesses().filter(this::isOurQemu).toList();
        ours.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : ours) {
            try {
                process.onExit().get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
        return ours.stream().map(ProcessHandle::pid).toList();
    }

    /** A QEMU whose arguments reference our data directory; the agent's own children included, by design. */
    private boolean isOurQemu(ProcessHandle process) {
        List<String> argv = cmdline(process.pid());
        String root = dataDir.root().toString() + "/";
        return !argv.isEmpty()
                && Path.of(argv.getFirst()).getFileName().toString().startsWith("qemu-system")
                && argv.stream().anyMatch(arg -> arg.contains(root));
    }

    private static List<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String text = new String(raw, StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : List.of(text.split("\0"));
        } catch (IOException e) {
            return List.of(); // the process ended meanwhile, or is not ours to read
        }
    }

    private List<String> deleteHostTables() {
        List<String> removed = new ArrayList<>();
        for (String table : nft.listTables(null)) {
            String[] familyAndName = table.split(" ", 2);
            if (familyAndName.length == 2 && slots.owns(familyAndName[1], SandboxRuleset.HOST_TABLE_PREFIX)) {
                nft.deleteTable(null, familyAndName[0], familyAndName[1]);
                removed.add(table);
            }
        }
        return removed;
    }

    private List<String> deleteLinks() {
        List<String> removed = ip.listLinks(null).stream()
                .filter(name -> slots.owns(name, Slot.VETH_PREFIX))
                .toList();
        removed.forEach(this::deleteLinkUnlessGone);
        return removed;
    }

    /** Deleting one end of a veth pair deletes its peer too, so a listed link may be gone by its turn. */
    private void deleteLinkUnlessGone(String name) {
        try {
            ip.deleteLink(null, name);
        } catch (CommandException e) {
            if (ip.listLinks(null).contains(name)) {
                throw e;
            }
        }
    }

    private List<String> deleteNamespaces() {
        List<String> removed = ip.listNetns().stream()
                .filter(name -> slots.owns(name, Slot.NETNS_PREFIX))
                .toList();
        removed.forEach(ip::deleteNetns);
        return removed;
    }

    private List<Path> deleteSandboxFiles() {
        Path sandboxes = dataDir.sandboxes();
        if (!Files.isDirectory(sandboxes)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(sandboxes)) {
            List<Path> removed = children.toList();
            removed.forEach(Sweeper::deleteTree);
            return removed;
        } catch (IOException e) {
            log.warn("sweeping {}: {}", sandboxes, e.getMessage());
            return List.of();
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("deleting {}: {}", root, e.getMessage());
        }
    }
}
