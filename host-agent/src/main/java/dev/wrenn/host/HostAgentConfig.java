package dev.wrenn.host;

import dev.wrenn.host.net.Cidr;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.oci.RegistryMirrors;
import dev.wrenn.host.vmm.AccelMode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The host agent's settings, from flags (which win) and {@code WRENN_*} environment variables. Every value is
 * checked here, so a bad setting stops the agent at start with a message naming the flag.
 *
 * @param maxSandboxes how many sandboxes may exist at once; also the number of network slots
 * @param firstSlot the first network slot: two agents on one machine need disjoint slot ranges (and data dirs)
 */
public record HostAgentConfig(
        Path dataDir,
        InetSocketAddress listen,
        AccelMode accel,
        boolean egress,
        int maxVcpus,
        int maxMemoryMib,
        int maxSandboxes,
        int firstSlot,
        Duration bootTimeout,
        List<Cidr> egressAllowCidrs,
        RegistryMirrors registryMirrors) {

    public HostAgentConfig {
        egressAllowCidrs = List.copyOf(egressAllowCidrs);
    }

    public static final String USAGE = """
            Usage: wrenn host-agent [options]   (runs as root; each option also reads the environment variable shown)
              --data-dir DIR         images and sandboxes                  WRENN_DATA_DIR       /var/lib/wrenn
              --listen HOST:PORT     gRPC address                          WRENN_LISTEN         127.0.0.1:50051
              --accel MODE           auto, kvm or tcg                      WRENN_ACCEL          auto
              --egress on|off        default for sandboxes that do not say WRENN_EGRESS         on
              --egress-allow-cidr C  private ranges sandboxes may reach,   WRENN_EGRESS_ALLOW_CIDR (none)
                                     comma-separated or repeated
              --max-vcpus N          per sandbox                           WRENN_MAX_VCPUS      host CPUs
              --max-memory-mib N     per sandbox                           WRENN_MAX_MEMORY_MIB 8192
              --max-sandboxes N      at once (network slots)               WRENN_MAX_SANDBOXES  64
              --first-slot N         network slots N..N+max-sandboxes-1    WRENN_FIRST_SLOT     1
              --boot-timeout SEC     create gives up after                 WRENN_BOOT_TIMEOUT   60
              --registry-mirror R=URL[,R=URL]  image pulls from registry R go to URL (e.g.
                                     docker.io=http://127.0.0.1:5000)      WRENN_REGISTRY_MIRROR none
            A sandbox gets 1 vCPU and 512 MiB unless it asks for more.""";

    private static final List<Option> OPTIONS = List.of(
            new Option("--data-dir", "WRENN_DATA_DIR"),
            new Option("--listen", "WRENN_LISTEN"),
            new Option("--accel", "WRENN_ACCEL"),
            new Option("--egress", "WRENN_EGRESS"),
            new Option("--egress-allow-cidr", "WRENN_EGRESS_ALLOW_CIDR"),
            new Option("--max-vcpus", "WRENN_MAX_VCPUS"),
            new Option("--max-memory-mib", "WRENN_MAX_MEMORY_MIB"),
            new Option("--max-sandboxes", "WRENN_MAX_SANDBOXES"),
            new Option("--first-slot", "WRENN_FIRST_SLOT"),
            new Option("--boot-timeout", "WRENN_BOOT_TIMEOUT"),
            new Option("--registry-mirror", "WRENN_REGISTRY_MIRROR"));

    private record Option(String flag, String env) {}

    /** A setting that cannot be used; the message names the flag and what it accepts. */
    public static final class InvalidConfig extends RuntimeException {
        public InvalidConfig(String message) {
            super(message);
        }
    }

    public static HostAgentConfig parse(List<String> args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (Option option : OPTIONS) {
            if (env.containsKey(option.env()) && !env.get(option.env()).isBlank()) {
                values.put(option.flag(), env.get(option.env()).strip());
            }
        }
        values.putAll(flags(args));
        int maxSandboxes = number("--max-sandboxes", values, 64, 1, Slot.MAX_INDEX);
        int firstSlot = number("--first-slot", values, 1, 1, Slot.MAX_INDEX - maxSandboxes + 1);
        return new HostAgentConfig(
                Path.of(values.getOrDefault("--data-dir", "/var/lib/wrenn"))
                        .toAbsolutePath()
                        .normalize(),
                listenAddress(values.getOrDefault("--listen", "127.0.0.1:50051")),
                accel(values.getOrDefault("--accel", "auto")),
                bool("--egress", values.getOrDefault("--egress", "on")),
                number("--max-vcpus", values, Runtime.getRuntime().availableProcessors(), 1, 64),
                number("--max-memory-mib", values, 8192, 64, 1 << 20),
                maxSandboxes,
                firstSlot,
                Duration.ofSeconds(number("--boot-timeout", values, 60, 1, 3600)),
                cidrs("--egress-allow-cidr", values.getOrDefault("--egress-allow-cidr", "")),
                mirrors(values.get("--registry-mirror")));
    }

    private static Map<String, String> flags(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (OPTIONS.stream().noneMatch(o -> o.flag().equals(flag))) {
                throw new InvalidConfig("unknown option `" + arg + "`");
            }
            if (flag.equals("--egress-allow-cidr")) {
                // Repeatable: each occurrence adds ranges.
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : next(args, ++i, flag);
                values.merge(flag, value, (a, b) -> a + "," + b);
            } else if (arg.contains("=")) {
                values.put(flag, arg.substring(arg.indexOf('=') + 1));
            } else if (flag.equals("--egress")
                    && (i + 1 == args.size() || args.get(i + 1).startsWith("--"))) {
                values.put(flag, "true"); // a bare --egress turns it on
            } else if (i + 1 < args.size()) {
                values.put(flag, args.get(++i));
            } else {
                throw new InvalidConfig(flag + " needs a value");
            }
        }
        return values;
    }

    private static String next(List<String> args, int i, String flag) {
        if (i >= args.size()) {
            throw new InvalidConfig(flag + " needs a value");
        }
        return args.get(i);
    }

    private static List<Cidr> cidrs(String flag, String text) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                try {
                    cidrs.add(Cidr.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfig(flag + ": " + e.getMessage());
                }
            }
        }
        return cidrs;
    }

    private static InetSocketAddress listenAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new InvalidConfig("--listen must be HOST:PORT, e.g. 127.0.0.1:50051, not `" + text + "`");
        }
        String host = text.substring(0, colon).replaceAll("^\\[|]$", "");
        int port = parseInt("--listen port", text.substring(colon + 1));
        if (port < 1 || port > 65_535) {
            throw new InvalidConfig("--listen port must be in 1..65535, got " + port);
        }
        return new InetSocketAddress(host, port);
    }

    private static RegistryMirrors mirrors(String text) {
        try {
            return RegistryMirrors.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfig("--registry-mirror: " + e.getMessage());
        }
    }

    private static AccelMode accel(String text) {
        try {
            return AccelMode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfig("--" + e.getMessage());
        }
    }

    private static boolean bool(String flag, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new InvalidConfig(flag + " must be on or off, not `" + text + "`");
        };
    }

    private static int number(String flag, Map<String, String> values, int fallback, int min, int max) {
        int value = values.containsKey(flag) ? parseInt(flag, values.get(flag)) : Math.min(fallback, max);
        if (value < min || value > max) {
            throw new InvalidConfig("%s must be in %d..%d, got %d".formatted(flag, min, max, value));
        }
        return value;
    }

    private static int parseInt(String what, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidConfig(what + " must be a whole number, not `" + text + "`");
        }
    }
}
