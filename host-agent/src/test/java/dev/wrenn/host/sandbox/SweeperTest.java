package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SandboxRuleset;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.testing.HostTier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweeperTest {
    private static final Slot SLOT = new Slot(32010);

    @TempDir
    Path root;

    @TempDir
    Path elsewhere;

    private final Ip ip = new Ip();
    private final Nft nft = new Nft();

    @Test
    void removesLeftoversByNameAndKillsOnlyQemusOfItsDataDirectory() throws Exception {
        HostTier.requireTools();
        DataDir dataDir = new DataDir(root);
        new SandboxNetwork(ip, nft, NetworkConfig.isolated()).setUp(SLOT);
        nft.apply(null, "table ip " + SandboxRuleset.hostTable(SLOT) + " {\n}\n");
        Path leftover = dataDir.sandbox("sb-dead");
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve("console.log"), "boot log");
        Process ours = idleQemu(leftover);
        Process foreign = idleQemu(elsewhere);
        try {
            SweepReport report = new Sweeper(dataDir, ip, nft).sweep();

            assertThat(report.killedPids()).containsExactly(ours.pid());
            assertThat(ours.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(foreign.isAlive()).isTrue();
            assertThat(report.netns()).contains(SLOT.netns());
            assertThat(report.links()).contains(SLOT.veth());
            assertThat(report.nftTables()).contains("ip wrenn-egress-32010");
            assertThat(ip.listNetns()).doesNotContain(SLOT.netns());
            assertThat(ip.listLinks(null)).doesNotContain(SLOT.veth());
            assertThat(nft.listTables(null)).doesNotContain("ip wrenn-egress-32010");
            assertThat(leftover).doesNotExist();
            assertThat(new Sweeper(dataDir, ip, nft).sweep().isEmpty()).isTrue();
        } finally {
            foreign.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            ours.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A QEMU that references {@code dir} through its QMP socket and sits stopped before its first instruction. */
    private static Process idleQemu(Path dir) throws Exception {
        Path socket = dir.resolve("qmp.sock");
        Process qemu = Command.of(
                        "qemu-system-x86_64",
                        "-M",
                        "microvm",
                        "-nodefaults",
                        "-display",
                        "none",
                        "-S",
                        "-qmp",
                        "unix:" + socket + ",server=on,wait=off")
                .start(dir.resolve("qemu.log"));
        for (int i = 0; i < 500 && !Files.exists(socket); i++) {
            Thread.sleep(10);
        }
        return qemu;
    }
}
