package dev.wrenn.control.enrollment;

import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.pki.PkiException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code wrenn control-plane enroll-token --host H [--ttl SECONDS]} on the control plane's machine: the same token the
 * admin API gives, made straight in the database (with the same data directory, database and CA options as the
 * control plane), for an operator who has no administrator account at hand.
 */
public final class EnrollTokenCommand {
    public static final String NAME = "enroll-token";
    public static final String USAGE = """
            usage: wrenn control-plane enroll-token --host HOST [--ttl SECONDS] [--data-dir DIR] [--ca-cert F --ca-key F]
              prints a one-time token; on the host: sudo ./wrenn host-agent --enroll http://CONTROL_PLANE:8080 --token TOKEN
              HOST is the address the control plane dials (WRENN_HOST_AGENT_ADDR's host); the token lasts 15 min""";

    private EnrollTokenCommand() {}

    /** @return the process's exit status */
    public static int run(String[] args, Map<String, String> env) {
        try {
            ClusterCaSource.Parsed ca = ClusterCaSource.parse(args, env);
            List<String> rest = new ArrayList<>(List.of(ca.rest()));
            String host = take(rest, "--host");
            String ttl = take(rest, "--ttl");
            if (host == null) {
                throw new IllegalArgumentException("--host is required");
            }
            Config config = ConfigLoader.load(env, rest.toArray(String[]::new));
            try (Database database = Database.open(config.database())) {
                IssuedToken token = new EnrollmentService(
                                database, ca.source().load(config.dataDir(), Clock.systemUTC()), Clock.systemUTC())
                        .issueToken(host, ttl == null ? EnrollmentService.DEFAULT_TOKEN_TTL : seconds(ttl));
                System.out.println(token.token());
                System.err.println("wrenn: token for host " + token.host() + ", single use, expires at "
                        + token.expiresAt() + "; CA sha256 " + token.caFingerprint());
                return 0;
            }
        } catch (IllegalArgumentException | ApiException | PkiException e) {
            System.err.println("wrenn control-plane enroll-token: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
    }

    private static Duration seconds(String text) {
        try {
            return Duration.ofSeconds(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ttl must be a whole number of seconds (got '" + text + "')");
        }
    }

    /** Removes {@code --name value} or {@code --name=value} from {@code args} and returns the value. */
    private static String take(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith(name + "=")) {
                return args.remove(i).substring(name.length() + 1);
            }
            if (args.get(i).equals(name)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                args.remove(i);
                return args.remove(i);
            }
        }
        return null;
    }
}
