package dev.wrenn.control;

import dev.wrenn.control.config.Config;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.e2b.E2bCompat;
import dev.wrenn.control.e2b.MetricsHistory;
import dev.wrenn.control.e2b.MetricsSampler;
import dev.wrenn.control.e2b.SandboxProxy;
import dev.wrenn.control.e2b.TimeoutScheduler;
import dev.wrenn.control.enrollment.CurrentHostCertificates;
import dev.wrenn.control.enrollment.EnrollmentService;
import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.hosts.HostAgentTls;
import dev.wrenn.control.reconciler.Reconciler;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.pki.ClusterCa;
import io.grpc.ChannelCredentials;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running control plane: the database, the client of the host agent and the HTTP server. Used by
 * {@code wrenn control-plane} and by {@code wrenn up}, which runs it next to a host agent in the same process.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    /** Stopping never takes longer than this: open streams are cut, the database is closed in any case. */
    public static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(10);
    /** {@code <port>-<sandboxID>.<domain>} host names route to sandboxes only under this domain. */
    static final String SANDBOX_DOMAIN_ENV = "WRENN_SANDBOX_DOMAIN";

    private final Javalin app;
    private final Reconciler reconciler;
    private final HostAgentClient hostAgent;
    private final Database database;
    private final E2bRuntime e2b;
    private boolean closed;

    /** The E2B-compatible side's moving parts: the timeout scheduler and the sandbox traffic proxy. */
    private record E2bRuntime(TimeoutScheduler timeouts, MetricsSampler metrics, SandboxProxy proxy) {
        void close() {
            proxy.close();
            timeouts.close();
            metrics.close();
        }
    }

    private ControlPlane(
            Javalin app, Reconciler reconciler, HostAgentClient hostAgent, Database database, E2bRuntime e2b) {
        this.app = app;
        this.reconciler = reconciler;
        this.hostAgent = hostAgent;
        this.database = database;
        this.e2b = e2b;
    }

    /**
     * Opens (and migrates) the database, connects to the host agent over mutual TLS with a client certificate of
     * {@code ca}, serves HTTP (host enrollment included) and starts the reconciler; fails leaving nothing open.
     * There is no plaintext mode.
     */
    public static ControlPlane start(Config config, ClusterCa ca) {
        // Only each enrolled host's newest certificate is accepted: a replaced one is revoked.
        return start(config, ca, database -> HostAgentTls.channel(ca, new CurrentHostCertificates(database)));
    }

    /** As {@link #start(Config, ClusterCa)}, with the host agent link's credentials given ({@code wrenn up}). */
    public static ControlPlane start(Config config, ClusterCa ca, ChannelCredentials hostAgentCredentials) {
        return start(config, ca, database -> hostAgentCredentials);
    }

    private static ControlPlane start(
            Config config, ClusterCa ca, Function<Database, ChannelCredentials> hostAgentCredentials) {
        Database database = Database.open(config.database());
        HostAgentClient hostAgent = null;
        try {
            hostAgent = GrpcHostAgentClient.connect(config.hostAgentAddress(), hostAgentCredentials.apply(database));
            EnrollmentService enrollment = new EnrollmentService(database, ca, Clock.systemUTC());
            Javalin app = ControlPlaneApp.create(config, database, hostAgent, Clock.systemUTC(), enrollment)
                    .start(config.listenHost(), config.port());
            LOG.info("control plane listening on {}:{}", config.listenHost(), app.port());
            Reconciler reconciler = new Reconciler(
                            new SandboxRepository(database), hostAgent, Clock.systemUTC(), SandboxService.DEFAULT_HOST)
                    .collectingTemplates(database, Reconciler.TEMPLATE_GRACE)
                    .start(Reconciler.INTERVAL);
            E2bRuntime e2b = startE2b(config, database, hostAgent);
            return new ControlPlane(app, reconciler, hostAgent, database, e2b);
        } catch (RuntimeException e) {
            if (hostAgent != null) {
                hostAgent.close();
            }
            database.close();
            throw e;
        }
    }

    private static E2bRuntime startE2b(Config config, Database database, HostAgentClient hostAgent) {
        E2bCompat e2b = E2bCompat.wire(
                database,
                new SandboxService(
                        new SandboxRepository(database),
                        new TemplateRepository(database),
                        hostAgent,
                        Clock.systemUTC()),
                hostAgent,
                Clock.systemUTC());
        TimeoutScheduler timeouts = e2b.scheduler().start(TimeoutScheduler.INTERVAL);
        MetricsSampler metrics = e2b.metricsSampler().start(MetricsHistory.INTERVAL);
        String domain =
                System.getenv().getOrDefault(SANDBOX_DOMAIN_ENV, "localhost").strip();
        SandboxProxy proxy = SandboxProxy.start(config.listenHost(), config.proxyPort(), e2b, domain);
        LOG.info("E2B sandbox proxy listening on {}:{}", config.listenHost(), proxy.port());
        return new E2bRuntime(timeouts, metrics, proxy);
    }

    /** The E2B sandbox traffic proxy's port (E2B_SANDBOX_URL points here). */
    public int proxyPort() {
        return e2b.proxy().port();
    }

    /** The HTTP port (the one chosen when the config asked for 0). */
    public int port() {
        return app.port();
    }

    /**
     * Stops serving (open proxy streams are cut, open terminals are killed) and reconciling, then lets go of the host
     * agent and closes the database, all within {@link #SHUTDOWN_DEADLINE}: a step still running then is left behind.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ShutdownSteps steps = new ShutdownSteps(SHUTDOWN_DEADLINE);
        steps.run("proxy", e2b::close);
        steps.run("http", app::stop);
        steps.run("reconciler", reconciler::close);
        steps.run("host-agent-client", hostAgent::close);
        steps.run("database", database::close);
        LOG.info("control plane stopped");
    }
}
