package dev.wrenn.launcher;

import dev.wrenn.control.ControlPlane;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import dev.wrenn.host.HostAgent;
import dev.wrenn.host.HostAgentConfig;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.sys.Privileges;
import dev.wrenn.launcher.doctor.Doctor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wrenn up}: the host agent and the control plane in one process, on one machine, with SQLite. The host
 * agent serves gRPC on a free loopback port behind mutual TLS ({@link LoopbackTls}): other local users can reach the
 * port but cannot call it. Stopping (Ctrl-C, SIGTERM; at most 10 s, then the process halts)
 * stops the HTTP server first (open terminals are killed), then the host agent, which destroys every sandbox, then
 * closes the database. Killed hard, it leaves VMs to the next start's sweep.
 */
public final class WrennUp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WrennUp.class);

    private final HostAgent hostAgent;
    private final ControlPlane controlPlane;
    private final UpOptions options;
    private final Quickstart.Admin admin;
    private boolean closed;

    private WrennUp(HostAgent hostAgent, ControlPlane controlPlane, UpOptions options, Quickstart.Admin admin) {
        this.hostAgent = hostAgent;
        this.controlPlane = controlPlane;
        this.options = options;
        this.admin = admin;
    }

    /** Starts both programs; if the control plane cannot start, the host agent is stopped again. */
    public static WrennUp start(UpOptions options, Map<String, String> env) {
        // The control plane's config first: it creates the data directory 0700 (it will hold password hashes).
        Config controlConfig = ConfigLoader.load(
                env,
                "--data-dir",
                options.dataDir().toString(),
                "--port",
                "" + options.port(),
                "--host",
                options.host(),
                "--signup",
                options.signup().flagValue());
        requireGuestImage(options);
        // Before the API serves, so that no signup can become the first account in between.
        Quickstart.Admin admin = AdminAccount.prepare(controlConfig, options.resetPassword());
        LoopbackTls tls = LoopbackTls.issue(controlConfig.dataDir());
        HostAgent hostAgent = HostAgent.start(hostAgentConfig(options, env), tls.hostServer());
        try {
            ControlPlane controlPlane = ControlPlane.start(
                    pointedAt(controlConfig, hostAgent.address().getPort(), options.proxyPort()),
                    tls.ca(),
                    tls.controlPlaneChannel());
            return new WrennUp(hostAgent, controlPlane, options, admin);
        } catch (RuntimeException e) {
            hostAgent.stop();
            throw e;
        }
    }

    /** The control plane's port (the one chosen when {@code --port 0} was asked). */
    public int port() {
        return controlPlane.port();
    }

    /** Where a browser on this machine reaches the console. */
    public String url() {
        String host = options.host();
        boolean anyAddress = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        String shown = anyAddress ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port() + "/";
    }

    /** Where E2B's SDKs reach sandboxes ({@code E2B_SANDBOX_URL}): the sandbox traffic proxy. */
    public String proxyUrl() {
        return url().replaceFirst(":" + port() + "/$", ":" + controlPlane.proxyPort());
    }

    /** The administrator account; its password only if this start generated it (printed once, in the banner). */
    Quickstart.Admin admin() {
        return admin;
    }

    public HostAgent hostAgent() {
        return hostAgent;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("wrenn up stopping");
        try {
            controlPlane.close();
        } finally {
            hostAgent.stop();
        }
        LOG.info("wrenn up stopped");
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = List.of(args);
        if (arguments.contains("-h") || arguments.contains("--help")) {
            System.out.println(UpOptions.USAGE);
            return;
        }
        UpOptions options = optionsOrExit(arguments);
        if (!Privileges.isRoot()) {
            fail(
                    1,
                    "must run as root: the host agent creates network namespaces, TAP devices and nft tables and"
                            + " starts QEMU (try: sudo ./wrenn up)");
        }
        Doctor.refuseToStartOnFailure(options, System.err);
        WrennUp up = startOrExit(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            closeWithin(up, ControlPlane.SHUTDOWN_DEADLINE);
                            stopped.countDown();
                        },
                        "wrenn-up-shutdown"));
        BaseReadiness.await(up.hostAgent(), System.out);
        System.out.println(Quickstart.banner(up.url(), up.proxyUrl(), up.admin()));
        System.out.flush();
        stopped.await();
    }

    /**
     * Stops everything, but never for longer than {@code deadline}: past it the process halts (a stop that hangs is
     * worse than VMs left to the next start's sweep, which reclaims them by name).
     */
    static void closeWithin(WrennUp up, Duration deadline) {
        Thread closer = Thread.ofPlatform().name("wrenn-up-close").daemon().start(up::close);
        try {
            if (!closer.join(deadline)) {
                LOG.error(
                        "wrenn up did not stop within {} s; halting (the next start reclaims what is left)",
                        deadline.toSeconds());
                Runtime.getRuntime().halt(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HostAgentConfig hostAgentConfig(UpOptions options, Map<String, String> env) {
        Map<String, String> hostEnv = new HashMap<>(env);
        hostEnv.remove("WRENN_LISTEN"); // the agent is reachable only from this process's control plane
        List<String> args =
                new ArrayList<>(List.of("--data-dir", options.dataDir().toString()));
        args.addAll(options.egressFlags());
        if (!options.registryMirror().isEmpty()) {
            args.addAll(List.of("--registry-mirror", options.registryMirror()));
        }
        HostAgentConfig parsed = HostAgentConfig.parse(args, hostEnv);
        return new HostAgentConfig(
                parsed.dataDir(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                parsed.accel(),
                parsed.egress(),
                parsed.maxVcpus(),
                parsed.maxMemoryMib(),
                parsed.maxSandboxes(),
                parsed.firstSlot(),
                parsed.bootTimeout(),
                parsed.egressAllowCidrs(),
                parsed.registryMirrors());
    }

    private static Config pointedAt(Config config, int hostAgentPort, int proxyPort) {
        return new Config(
                config.dataDir(),
                config.listenHost(),
                config.port(),
                config.database(),
                config.jwtSecret(),
                "127.0.0.1:" + hostAgentPort,
                config.maxUploadBytes(),
                config.bcryptCost(),
                proxyPort,
                config.signupMode());
    }

    /** Without an image nothing can boot; say how to build one instead of failing in the accelerator probe. */
    private static void requireGuestImage(UpOptions options) {
        try {
            new ImageStore(options.dataDir().resolve("images")).resolve(ImageStore.BASE);
        } catch (HostAgentException e) {
            throw new HostAgentException(
                    e.code(),
                    "no guest image in " + options.dataDir().resolve("images") + " (" + e.getMessage()
                            + "); `./wrenn up` builds it, or run images/build.sh --data-dir " + options.dataDir(),
                    e);
        }
    }

    private static UpOptions optionsOrExit(List<String> arguments) {
        try {
            return UpOptions.parse(arguments, System.getenv());
        } catch (UpOptions.Invalid e) {
            System.err.println(UpOptions.USAGE);
            fail(2, e.getMessage());
            throw e; // not reached
        }
    }

    private static WrennUp startOrExit(UpOptions options) {
        try {
            return start(options, System.getenv());
        } catch (RuntimeException e) {
            LOG.error("wrenn up failed to start", e);
            fail(1, "starting: " + e.getMessage());
            throw e; // not reached
        }
    }

    private static void fail(int status, String message) {
        System.err.println("wrenn up: " + message);
        System.exit(status);
    }
}
