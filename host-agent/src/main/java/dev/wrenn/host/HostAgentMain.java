package dev.wrenn.host;

import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.Privileges;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wrenn host-agent}: reads the configuration, checks it runs as root, starts the {@link HostAgent} and
 * stops it on SIGINT or SIGTERM (the JVM runs shutdown hooks for both), destroying every sandbox on the way out.
 */
public final class HostAgentMain {
    private static final Logger log = LoggerFactory.getLogger(HostAgentMain.class);

    private HostAgentMain() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = List.of(args);
        if (arguments.contains("-h") || arguments.contains("--help")) {
            System.out.println(HostAgentConfig.USAGE);
            return;
        }
        HostAgentConfig config = configOrExit(arguments);
        if (!Privileges.isRoot()) {
            fail(
                    1,
                    "must run as root: it creates network namespaces, TAP devices and nft tables and starts QEMU"
                            + " (try: sudo ./wrenn host-agent)");
        }
        HostAgent agent = startOrExit(config);
        Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "host-agent-shutdown"));
        agent.awaitTermination();
    }

    private static HostAgentConfig configOrExit(List<String> arguments) {
        try {
            return HostAgentConfig.parse(arguments, System.getenv());
        } catch (HostAgentConfig.InvalidConfig e) {
            System.err.println(HostAgentConfig.USAGE);
            fail(2, e.getMessage());
            throw e; // not reached
        }
    }

    private static HostAgent startOrExit(HostAgentConfig config) {
        try {
            return HostAgent.start(config);
        } catch (HostAgentException | UncheckedIOException e) {
            log.error("host agent failed to start", e);
            fail(1, "starting: " + e.getMessage());
            throw e; // not reached
        }
    }

    private static void fail(int status, String message) {
        System.err.println("wrenn host-agent: " + message);
        System.exit(status);
    }
}
