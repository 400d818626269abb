package dev.wrenn.host.net;

import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A typed client over iproute2's {@code ip}. Every method takes the namespace to act in; null means the host's own.
 */
public final class Ip {

    public void addNetns(String netns) {
        run(null, "netns", "add", netns);
    }

    public void deleteNetns(String netns) {
        run(null, "netns", "delete", netns);
    }

    public List<String> listNetns() {
        // Each line is "<name>" or "<name> (id: <n>)".
        return run(null, "netns", "list")
                .stdout()
                .lines()
                .map(line -> line.split(" ", 2)[0])
                .filter(name -> !name.isBlank())
                .toList();
    }

    /** Creates a veth pair whose peer end is created directly inside {@code peerNetns}. */
    public void addVethPair(String name, String peerName, String peerNetns) {
        run(null, "link", "add", name, "type", "veth", "peer", "name", peerName, "netns", peerNetns);
    }

    public void addTap(String netns, String name) {
        run(netns, "tuntap", "add", "dev", name, "mode", "tap");
    }

    public void addAddress(String netns, String device, String cidr) {
        run(netns, "addr", "add", cidr, "dev", device);
    }

    public void setUp(String netns, String device) {
        run(netns, "link", "set", "dev", device, "up");
    }

    public void deleteLink(String netns, String device) {
        run(netns, "link", "delete", "dev", device);
    }

    /** Link names; the {@code @peer} suffix of veth ends is dropped. */
    public List<String> listLinks(String netns) {
        return run(netns, "-o", "link", "show")
                .stdout()
                .lines()
                .map(line -> line.split(": ", 3)[1].split("@", 2)[0])
                .toList();
    }

    public void addRoute(String netns, String destination, Ipv4 via, String device) {
        run(netns, "route", "add", destination, "via", via.toString(), "dev", device);
    }

    /** IPv4 routes of the main table, one {@code ip route} line each. */
    public List<String> routes(String netns) {
        return run(netns, "-4", "route", "show").stdout().lines().toList();
    }

    /** The device of the first IPv4 default route, if there is one. */
    public java.util.Optional<String> defaultRouteDevice(String netns) {
        return run(netns, "-4", "route", "show", "default")
                .stdout()
                .lines()
                .map(line -> line.replaceAll(".* dev (\\S+).*", "$1"))
                .findFirst();
    }

    /** IPv4 addresses configured in a namespace (without prefix length). */
    public List<Ipv4> addresses(String netns) {
        return run(netns, "-4", "-o", "addr", "show")
                .stdout()
                .lines()
                .map(line -> line.replaceAll(".* inet ([0-9.]+)/.*", "$1"))
                .map(Ipv4::parse)
                .toList();
    }

    public void setSysctl(String netns, String key, String value) {
        inNetns(netns, Command.of("sysctl", "-qw", key + "=" + value)).run();
    }

    /** A command run inside a namespace ({@code ip netns exec}); the command itself when netns is null. */
    public static Command inNetns(String netns, Command command) {
        return netns == null ? command : command.prefixedBy(List.of("ip", "netns", "exec", netns));
    }

    /**
     * Commands collected and run by one {@code ip -batch} process (in {@code netns}, or the host's when null): a
     * sandbox's network takes a dozen of them, and a process each was most of its set-up time. The batch stops at the
     * first command that fails; its error names the line.
     */
    public Batch batch(String netns) {
        return new Batch(netns);
    }

    public static final class Batch {
        private final String netns;
        private final List<String> lines = new ArrayList<>();

        private Batch(String netns) {
            this.netns = netns;
        }

        public Batch addNetns(String name) {
            return add("netns add " + name);
        }

        public Batch addVethPair(String name, String peerName, String peerNetns) {
            return add("link add " + name + " type veth peer name " + peerName + " netns " + peerNetns);
        }

        public Batch addTap(String name) {
            return add("tuntap add dev " + name + " mode tap");
        }

        public Batch addAddress(String device, String cidr) {
            return add("addr add " + cidr + " dev " + device);
        }

        public Batch setUp(String device) {
            return add("link set dev " + device + " up");
        }

        public Batch addRoute(String destination, Ipv4 via, String device) {
            return add("route add " + destination + " via " + via + " dev " + device);
        }

        private Batch add(String line) {
            if (line.contains("\n") || line.contains("\"")) {
                throw new IllegalArgumentException("not a single ip batch line: " + line);
            }
            lines.add(line);
            return this;
        }

        public void run() {
            List<String> argv = new ArrayList<>(List.of("ip"));
            if (netns != null) {
                argv.addAll(List.of("-n", netns));
            }
            argv.addAll(List.of("-batch", "-"));
            Command.of(argv).withInput(String.join("\n", lines) + "\n").run();
        }
    }

    private static CommandResult run(String netns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        if (netns != null) {
            argv.addAll(List.of("-n", netns));
        }
        argv.addAll(Arrays.asList(args));
        return Command.of(argv).run();
    }
}
