package dev.wrenn.control;

import dev.wrenn.control.api.ControlPlaneApp;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.e2b.E2bCompat;
import dev.wrenn.control.e2b.SandboxProxy;
import dev.wrenn.control.e2b.TimeoutScheduler;
import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.reconciler.Reconciler;
import dev.wrenn.control.sandboxes.SandboxService;
import io.javalin.Javalin;
import java.time.Clock;
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
        Database database = Database.open(config.database());
        HostAgentClient hostAgent = GrpcHostAgentClient.connect(config.hostAgentAddress());
        Javalin app = ControlPlaneApp.create(config, database, hostAgent).start(config.listenHost(), config.port());
        LOG.info("control plane listening on {}:{}", config.listenHost(), app.port());
        Reconciler reconciler = new Reconciler(
                        new SandboxRepository(database), hostAgent, Clock.systemUTC(), SandboxService.DEFAULT_HOST)
                .start(Reconciler.INTERVAL);
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
        SandboxProxy proxy = SandboxProxy.start(config.listenHost(), config.proxyPort(), e2b);
        LOG.info("E2B sandbox proxy listening on {}:{}", config.listenHost(), proxy.port());
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            proxy.close();
                            timeouts.close();
                            stop(app, reconciler, hostAgent, database);
                        },
                        "shutdown"));
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

    private static void stop(Javalin app, Reconciler reconciler, HostAgentClient hostAgent, Database database) {
        app.stop();
        reconciler.close();
        hostAgent.close();
        database.close();
    }
}
