package dev.wrenn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's arguments: {@code --flag}, {@code --option value} (or {@code --option=value}, repeatable),
 * positionals, and everything after {@code --} kept verbatim (the command line of {@code sandbox exec}).
 */
final class Args {
    final List<String> positionals = new ArrayList<>();
    final Map<String, List<String>> options = new LinkedHashMap<>();
    final List<String> rest = new ArrayList<>();
    boolean sawDoubleDash;

    /**
     * @param flags the options that take no value
     * @param valued the options that take one
     */
    static Args parse(List<String> argv, Set<String> flags, Set<String> valued) {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                a.sawDoubleDash = true;
                a.rest.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (arg.startsWith("--") || (arg.startsWith("-") && arg.length() == 2 && !arg.equals("-"))) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException(name + " takes no value");
                    }
                    a.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.size()) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = argv.get(++i);
                    }
                    a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option " + name);
                }
            } else {
                a.positionals.add(arg);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String value(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    /** {@code key=value} options as a map. */
    Map<String, String> pairs(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : values(name)) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(name + " takes KEY=VALUE (got " + kv + ")");
            }
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    String positional(int index, String what) {
        if (index >= positionals.size()) {
            throw new UsageException("missing " + what);
        }
        return positionals.get(index);
    }

    void atMost(int count) {
        if (positionals.size() > count) {
            throw new UsageException("unexpected argument " + positionals.get(count));
        }
    }

    int seconds(String name, int fallback) {
        String v = value(name);
        if (v == null) {
            return fallback;
        }
        try {
            int s = Integer.parseInt(v);
            if (s < 0) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a number of seconds (got " + v + ")");
        }
    }
}
