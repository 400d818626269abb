package dev.wrenn.launcher.campaigns;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags every campaign shares, plus its own ({@code --cycles}, {@code --sandboxes}, ...). Without {@code --url}
 * a campaign starts its own scratch {@code ./wrenn up} on {@code --data-dir}, {@code --port} and the network slots
 * from {@code --first-slot}, away from a default install's (/var/lib/wrenn, 8080, slot 1) and the test tiers'.
 */
record CampaignOptions(Map<String, String> values) {
    static final String COMMON_USAGE = """
              --url URL          an existing Wrenn instead of a scratch `wrenn up` (needs --api-key)
              --api-key KEY      a key of that Wrenn (wrenn_... or e2b_...)
              --proxy-url URL    with --url: its E2B sandbox proxy (E2B_SANDBOX_URL)
              --pid N            with --url: the process whose fds, threads and RSS are sampled
              --data-dir DIR     the scratch `wrenn up`'s data directory (and, with --url, where to look
                                 for leftover files)                                       /var/lib/wrenn-campaign
              --port N           the scratch `wrenn up`'s API port (the E2B proxy is N+1)  18480
              --first-slot N     its first network slot (its sandboxes use N..N+max-1)     500
              --max-sandboxes N  its slot count                                            16
              --log FILE         where the scratch `wrenn up` writes its output            a file in /tmp""";

    static CampaignOptions parse(List<String> args, Set<String> ownFlags) {
        Set<String> known = new java.util.HashSet<>(ownFlags);
        known.addAll(Set.of(
                "--url",
                "--api-key",
                "--proxy-url",
                "--pid",
                "--data-dir",
                "--port",
                "--first-slot",
                "--max-sandboxes",
                "--log"));
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            if (!known.contains(flag)) {
                throw new IllegalArgumentException("unknown option `" + arg + "`");
            }
            if (equals >= 0) {
                values.put(flag, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                values.put(flag, args.get(++i));
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
        }
        if (values.containsKey("--url") != values.containsKey("--api-key")) {
            throw new IllegalArgumentException("--url and --api-key go together");
        }
        return new CampaignOptions(values);
    }

    String url() {
        return values.get("--url");
    }

    String apiKey() {
        return values.get("--api-key");
    }

    boolean scratch() {
        return url() == null;
    }

    Path dataDir() {
        String dir = values.get("--data-dir");
        return dir == null
                ? (scratch() ? Path.of("/var/lib/wrenn-campaign") : null)
                : Path.of(dir).toAbsolutePath();
    }

    int port() {
        return integer("--port", 18480, 1, 65_534);
    }

    int firstSlot() {
        return integer("--first-slot", 500, 1, 32_000);
    }

    int maxSandboxes() {
        return integer("--max-sandboxes", 16, 1, 4096);
    }

    long pid() {
        return integer("--pid", 0, 0, Integer.MAX_VALUE);
    }

    Path log() {
        String log = values.get("--log");
        return log == null ? null : Path.of(log);
    }

    int integer(String flag, int fallback, int min, int max) {
        String text = values.get(flag);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new IllegalArgumentException(
                flag + " must be a whole number " + min + ".." + max + ", not `" + text + "`");
    }
}
