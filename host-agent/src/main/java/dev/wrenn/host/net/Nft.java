package dev.wrenn.host.net;

import dev.wrenn.host.sys.Command;
import java.util.List;

/** A typed client over nftables' {@code nft}; null as the namespace means the host's own. */
public final class Nft {

    /** Loads a ruleset atomically ({@code nft -f -}): either all of it applies or none. */
    public void apply(String netns, String ruleset) {
        Ip.inNetns(netns, Command.of("nft", "-f", "-")).withInput(ruleset).run();
    }

    /** Tables as {@code <family> <name>}, e.g. {@code ip wrenn}. */
    public List<String> listTables(String netns) {
        return Ip.inNetns(netns, Command.of("nft", "list", "tables"))
                .run()
                .stdout()
                .lines()
                .filter(line -> line.startsWith("table "))
                .map(line -> line.substring("table ".length()).strip())
                .toList();
    }

    public String listRuleset(String netns) {
        return Ip.inNetns(netns, Command.of("nft", "list", "ruleset")).run().stdout();
    }

    public void deleteTable(String netns, String family, String name) {
        Ip.inNetns(netns, Command.of("nft", "delete", "table", family, name)).run();
    }
}
