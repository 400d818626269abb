package dev.wrenn.host;

import dev.wrenn.host.enroll.EnrollOptions;
import dev.wrenn.host.enroll.EnrollmentClient;
import dev.wrenn.host.enroll.HostTls;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.Privileges;
import dev.wrenn.pki.PkiException;
import io.grpc.ServerCredentials;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wrenn host-agent}: reads the configuration, checks it runs as root, enrolls when asked
 * ({@link EnrollOptions}), loads its certificate (no certificate, no start: gRPC is mutual TLS only), starts the
 * {@link HostAgent} and stops it on SIGINT or SIGTERM (the JVM runs shutdown hooks for both), destroying every
 * sandbox on the way out.
 */
public final class HostAgentMain {
    private static final Logger log = LoggerFactory.getLogger(HostAgentMain.class);

    private HostAgentMain() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = List.of(args);
        if (arguments.contains("-h") || arguments.contains("--help")) {
            System.out.println(HostAgentConfig.USAGE);
            System.out.println(EnrollOptions.USAGE);
            return;
        }
        EnrollOptions enroll = enrollOptionsOrExit(arguments);
        HostAgentConfig config = configOrExit(enroll.rest());
        if (!Privileges.isRoot()) {
            fail(
                    1,
                    "must run as root: it creates network namespaces, TAP devices and nft tables and starts QEMU"
                            + " (try: sudo ./wrenn host-agent)");
        }
        HostAgent agent =
                startOrExit(config, credentialsOrExit(enroll, config.dataDir().resolve(EnrollOptions.PKI_DIR)));
        Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "host-agent-shutdown"));
        // The control plane's default shape (1 vCPU, 512 MiB): made in the background, so no user's first create
        // waits for it; other shapes are made on their first create.
        agent.keepBaseWarm(DEFAULT_VCPUS, DEFAULT_MEMORY_MB);
        agent.awaitTermination();
    }

    private static EnrollOptions enrollOptionsOrExit(List<String> arguments) {
        try {
            return EnrollOptions.parse(arguments);
        } catch (HostAgentConfig.InvalidConfig e) {
            System.err.println(EnrollOptions.USAGE);
            fail(2, e.getMessage());
            throw e; // not reached
        }
    }

    /** Enrolls first when asked, then the enrolled certificate; without one the agent does not start. */
    private static ServerCredentials credentialsOrExit(EnrollOptions enroll, Path pkiDir) {
        try {
            if (enroll.enrolling()) {
                if ("http".equals(enroll.controlPlane().getScheme())) {
                    log.warn("enrolling over plain HTTP: the CA is checked against the token, but anyone on the path"
                            + " can read the token; use https:// or a network only you reach");
                }
                String name =
                        new EnrollmentClient(Clock.systemUTC()).enroll(enroll.controlPlane(), enroll.token(), pkiDir);
                log.info("enrolled as {}: certificate and key in {}", name, pkiDir);
            }
            return HostTls.serverCredentials(pkiDir, Clock.systemUTC());
        } catch (PkiException e) {
            fail(
                    1,
                    e.getMessage() + "\n  get a token on the control plane: ./wrenn control-plane enroll-token --host"
                            + " <this host's address>\n  then: sudo ./wrenn host-agent --enroll <control plane URL>"
                            + " --token <token> [options]");
            throw e; // not reached
        }
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

    private static final int DEFAULT_VCPUS = 1;
    private static final int DEFAULT_MEMORY_MB = 512;

    private static HostAgent startOrExit(HostAgentConfig config, ServerCredentials credentials) {
        try {
            return HostAgent.start(config, credentials);
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
