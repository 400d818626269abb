package dev.wrenn.control.enrollment;

import dev.wrenn.pki.ClusterCa;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the control plane's cluster CA comes from: the operator's two PEM files ({@code --ca-cert}/{@code --ca-key},
 * or {@code WRENN_CA_CERT}/{@code WRENN_CA_KEY}), else {@code <data dir>/pki/}, made there at the first start
 * (directory 0700, key 0600).
 */
public record ClusterCaSource(Path certFile, Path keyFile) {
    public static final String USAGE = """
            cluster CA (mutual TLS to host agents): --ca-cert FILE --ca-key FILE   WRENN_CA_CERT, WRENN_CA_KEY
                                                    (default: DATA_DIR/pki/ca.crt and ca.key, made at first start)""";

    public ClusterCaSource {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--ca-cert and --ca-key go together: give both or neither");
        }
    }

    /** The CA options taken out of {@code args}, and the arguments left for the rest of the configuration. */
    public record Parsed(ClusterCaSource source, String[] rest) {}

    public static Parsed parse(String[] args, Map<String, String> env) {
        String cert = blankToNull(env.get("WRENN_CA_CERT"));
        String key = blankToNull(env.get("WRENN_CA_KEY"));
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
            if (!name.equals("--ca-cert") && !name.equals("--ca-key")) {
                rest.add(args[i]);
                continue;
            }
            String value = args[i].contains("=") ? args[i].substring(name.length() + 1) : next(args, ++i, name);
            if (name.equals("--ca-cert")) {
                cert = value;
            } else {
                key = value;
            }
        }
        return new Parsed(
                new ClusterCaSource(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key)),
                rest.toArray(String[]::new));
    }

    public ClusterCa load(Path dataDir, Clock clock) {
        return certFile == null
                ? ClusterCa.loadOrCreate(dataDir.resolve("pki"), clock)
                : ClusterCa.load(certFile, keyFile, clock);
    }

    private static String next(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + name + " needs a value");
        }
        return args[i];
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
