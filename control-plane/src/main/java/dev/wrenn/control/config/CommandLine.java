package dev.wrenn.control.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The control plane's few options, {@code --name value} or {@code --name=value}. */
final class CommandLine {
    private static final Set<String> OPTIONS = Set.of("--port", "--host", "--data-dir", "--proxy-port", "--signup");

    private CommandLine() {}

    static Map<String, String> parse(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
            if (equals >= 0) {
                options.put(name, arg.substring(equals + 1));
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
        }
        return options;
    }
}
