package dev.wrenn.control;

import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import dev.wrenn.control.enrollment.ClusterCaSource;
import dev.wrenn.control.enrollment.EnrollTokenCommand;
import dev.wrenn.pki.PkiException;
import java.time.Clock;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wrenn control-plane}: the REST API in front of the host agent, with SQLite or PostgreSQL behind it, reaching
 * the host agent over mutual TLS only. {@code wrenn control-plane enroll-token --host H} prints a one-time token with
 * which the host agent at {@code H} enrolls.
 */
public final class ControlPlaneMain {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMain.class);

    private ControlPlaneMain() {}

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(ConfigLoader.USAGE);
            System.out.println(ClusterCaSource.USAGE);
            System.out.println(EnrollTokenCommand.USAGE);
            return;
        }
        if (args.length > 0 && args[0].equals(EnrollTokenCommand.NAME)) {
            System.exit(EnrollTokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv()));
        }
        ClusterCaSource.Parsed ca = caOrExit(args);
        Config config = loadOrExit(ca.rest());
        LOG.info("starting the control plane: {}", config);
        ControlPlane controlPlane = ControlPlane.start(config, caOrExit(ca.source(), config));
        Runtime.getRuntime().addShutdownHook(new Thread(controlPlane::close, "shutdown"));
    }

    private static ClusterCaSource.Parsed caOrExit(String[] args) {
        try {
            return ClusterCaSource.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            return exit(e.getMessage());
        }
    }

    private static dev.wrenn.pki.ClusterCa caOrExit(ClusterCaSource source, Config config) {
        try {
            return source.load(config.dataDir(), Clock.systemUTC());
        } catch (PkiException e) {
            return exit("the cluster CA: " + e.getMessage());
        }
    }

    private static Config loadOrExit(String[] args) {
        try {
            return ConfigLoader.load(System.getenv(), args);
        } catch (IllegalArgumentException e) {
            return exit(e.getMessage());
        }
    }

    private static <T> T exit(String message) {
        System.err.println("wrenn control-plane: " + message);
        System.err.println(ConfigLoader.USAGE);
        System.err.println(ClusterCaSource.USAGE);
        System.exit(2);
        throw new IllegalStateException(message); // not reached
    }
}
