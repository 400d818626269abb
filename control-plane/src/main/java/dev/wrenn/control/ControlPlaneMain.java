package dev.wrenn.control;

import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code wrenn control-plane}: the REST API in front of the host agent, with SQLite or PostgreSQL behind it. */
public final class ControlPlaneMain {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMain.class);

    private ControlPlaneMain() {}

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(ConfigLoader.USAGE);
            return;
        }
        Config config = loadOrExit(args);
        LOG.info("starting the control plane: {}", config);
        ControlPlane controlPlane = ControlPlane.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(controlPlane::close, "shutdown"));
    }

    private static Config loadOrExit(String[] args) {
        try {
            return ConfigLoader.load(System.getenv(), args);
        } catch (IllegalArgumentException e) {
            System.err.println("wrenn control-plane: " + e.getMessage());
            System.err.println(ConfigLoader.USAGE);
            System.exit(2);
            throw e;
        }
    }
}
