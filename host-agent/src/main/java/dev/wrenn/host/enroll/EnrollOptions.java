package dev.wrenn.host.enroll;

import dev.wrenn.host.HostAgentConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The host agent's enrollment flags, taken out of the command line before the rest is parsed:
 * {@code --enroll URL --token TOKEN} (together, or neither).
 *
 * @param controlPlane the control plane's HTTP(S) base URL, null when not enrolling
 * @param token the one-time token, null when not enrolling
 * @param rest the other arguments, for {@link HostAgentConfig#parse}
 */
public record EnrollOptions(URI controlPlane, String token, List<String> rest) {
    public static final String USAGE = """
            Mutual TLS (the only mode): the host's certificate, key and the cluster CA live in DATA_DIR/host-pki/.
              --enroll URL --token TOKEN   enroll first (or again, to renew before expiry): URL is the control
                                           plane's API, e.g. https://cp.example:8080; TOKEN comes from
                                           `wrenn control-plane enroll-token --host ADDR` or the admin API""";

    /** Where a host keeps its enrolled identity, apart from a control plane's CA in the same data directory. */
    public static final String PKI_DIR = "host-pki";

    public static EnrollOptions parse(List<String> args) {
        URI url = null;
        String token = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!name.equals("--enroll") && !name.equals("--token")) {
                rest.add(arg);
                continue;
            }
            String value = arg.contains("=") ? arg.substring(name.length() + 1) : value(args, ++i, name);
            if (name.equals("--enroll")) {
                url = url(value);
            } else {
                token = value;
            }
        }
        if ((url == null) != (token == null)) {
            throw new HostAgentConfig.InvalidConfig("--enroll and --token go together");
        }
        return new EnrollOptions(url, token, List.copyOf(rest));
    }

    public boolean enrolling() {
        return controlPlane != null;
    }

    private static URI url(String text) {
        try {
            URI uri = URI.create(text.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new HostAgentConfig.InvalidConfig(
                    "--enroll must be the control plane's http(s) URL, e.g. https://cp.example:8080, not `" + text
                            + "`");
        }
    }

    private static String value(List<String> args, int i, String name) {
        if (i >= args.size()) {
            throw new HostAgentConfig.InvalidConfig(name + " needs a value");
        }
        return args.get(i);
    }
}
