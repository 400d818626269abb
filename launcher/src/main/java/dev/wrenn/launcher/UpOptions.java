package dev.wrenn.launcher;

import dev.wrenn.control.config.SignupMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code wrenn up}. Everything else (accelerator, egress, limits, upload size, ...) is read from the
 * same {@code WRENN_*} variables as the separate programs.
 *
 * @param host the control plane's bind address: loopback unless asked, since a fresh install lets anyone sign up
 * @param proxyPort the E2B-compatible sandbox traffic proxy's port; defaults to {@code port + 1}
 * @param signup who may sign up besides the administrator the first start creates
 * @param resetPassword give that administrator a new generated password, printed once
 */
public record UpOptions(
        Path dataDir,
        String host,
        int port,
        int proxyPort,
        SignupMode signup,
        boolean resetPassword,
        List<String> egressFlags,
        String registryMirror) {
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/wrenn");
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    static final String RESET_PASSWORD = "--reset-password";

    static final String EGRESS = "--egress";
    static final String EGRESS_ALLOW_CIDR = "--egress-allow-cidr";

    public UpOptions {
        egressFlags = List.copyOf(egressFlags);
    }

    /** The first-user signup mode, no password reset. */
    public UpOptions(Path dataDir, String host, int port, int proxyPort) {
        this(dataDir, host, port, proxyPort, SignupMode.DEFAULT, false);
    }

    /** Without egress flags or a registry mirror: the host agent's defaults and WRENN_EGRESS* apply. */
    public UpOptions(Path dataDir, String host, int port, int proxyPort, SignupMode signup, boolean resetPassword) {
        this(dataDir, host, port, proxyPort, signup, resetPassword, List.of(), "");
    }

    public static final String USAGE = """
            Usage: wrenn up [--data-dir DIR] [--port N] [--host ADDR] [--proxy-port M]   (as root)
              --data-dir DIR    images, sandboxes, wrenn.db, jwt-secret   WRENN_DATA_DIR   /var/lib/wrenn
              --port N          the API and web console (0: any free)     WRENN_PORT       8080
              --host ADDR       bind address (0.0.0.0 to serve others)    WRENN_LISTEN_HOST 127.0.0.1
              --proxy-port M    the E2B-compatible sandbox traffic proxy    port + 1
              --signup MODE     first-user | open | closed                 WRENN_SIGNUP     first-user
              --reset-password  print a new password for the administrator account
              --egress on|off   default for sandboxes that do not say      WRENN_EGRESS     on
              --egress-allow-cidr C  a private or special range sandboxes may reach (repeatable, or comma-separated)
              --registry-mirror R=URL[,R=URL]  image pulls from registry R go to URL    WRENN_REGISTRY_MIRROR
            The first start creates the administrator account with a generated password and prints it once. With
            first-user or closed, others join by invitation (POST /v1/teams/{team_id}/invites; closed: not at all).
            Runs the host agent and the control plane in one process with SQLite. The host agent's other settings
            (WRENN_ACCEL, WRENN_EGRESS, WRENN_MAX_*) and the control plane's (WRENN_MAX_UPLOAD_BYTES, ...) apply.""";

    private static final List<String> OPTIONS = List.of(
            "--data-dir",
            "--port",
            "--host",
            "--proxy-port",
            "--signup",
            RESET_PASSWORD,
            EGRESS,
            EGRESS_ALLOW_CIDR,
            "--registry-mirror");

    /** A setting that cannot be used; the message names the option. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    public static UpOptions parse(List<String> args, Map<String, String> env) {
        List<String> egress = new ArrayList<>();
        Map<String, String> values = flags(args, egress);
        int port = port("--port", pick(values.get("--port"), env.get("WRENN_PORT"), "" + DEFAULT_PORT), true);
        int proxyPort =
                values.containsKey("--proxy-port") ? port("--proxy-port", values.get("--proxy-port"), false) : 0;
        if (proxyPort != 0 && proxyPort == port) {
            throw new Invalid("--proxy-port must differ from --port (both " + port + ")");
        }
        return new UpOptions(
                Path.of(pick(values.get("--data-dir"), env.get("WRENN_DATA_DIR"), DEFAULT_DATA_DIR.toString()))
                        .toAbsolutePath()
                        .normalize(),
                pick(values.get("--host"), env.get("WRENN_LISTEN_HOST"), DEFAULT_HOST),
                port,
                proxyPort != 0 ? proxyPort : port == 0 ? 0 : port + 1,
                signup(pick(values.get("--signup"), env.get("WRENN_SIGNUP"), SignupMode.DEFAULT.flagValue())),
                values.containsKey(RESET_PASSWORD),
                egress,
                values.getOrDefault("--registry-mirror", ""));
    }

    private static SignupMode signup(String text) {
        try {
            return SignupMode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid("--signup: " + e.getMessage());
        }
    }

    /** The egress flags go to the host agent's own parser as given (it checks them); the rest is parsed here. */
    private static Map<String, String> flags(List<String> args, List<String> egress) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            if (!OPTIONS.contains(flag)) {
                throw new Invalid("unknown option `" + arg + "`");
            }
            if (flag.equals(EGRESS) || flag.equals(EGRESS_ALLOW_CIDR)) {
                if (equals < 0 && i + 1 >= args.size()) {
                    throw new Invalid(flag + " needs a value");
                }
                egress.add(flag + "=" + (equals >= 0 ? arg.substring(equals + 1) : args.get(++i)));
            } else if (flag.equals(RESET_PASSWORD) && equals < 0) {
                values.put(flag, "true"); // a switch, no value
            } else if (equals >= 0) {
                values.put(flag, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                values.put(flag, args.get(++i));
            } else {
                throw new Invalid(flag + " needs a value");
            }
        }
        return values;
    }

    private static String pick(String flag, String env, String fallback) {
        if (flag != null) {
            return flag;
        }
        return env == null || env.isBlank() ? fallback : env.strip();
    }

    private static int port(String flag, String text, boolean zeroAllowed) {
        try {
            int port = Integer.parseInt(text);
            if (port >= (zeroAllowed ? 0 : 1) && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new Invalid(flag + " must be a port number " + (zeroAllowed ? "0" : "1") + "..65535, not `" + text + "`");
    }
}
