package dev.wrenn.control;

import dev.wrenn.control.api.AuditRoutes;
import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.HttpApi;
import dev.wrenn.control.audit.AuditLog;
import dev.wrenn.control.auth.JwtService;
import dev.wrenn.control.auth.PasswordHasher;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.console.ConsoleFeatures;
import dev.wrenn.control.db.AccountRepository;
import dev.wrenn.control.db.ApiKeyRepository;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.InviteRepository;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SessionRepository;
import dev.wrenn.control.db.TemplateBuildRepository;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.e2b.E2bCompat;
import dev.wrenn.control.enrollment.EnrollmentRoutes;
import dev.wrenn.control.enrollment.EnrollmentService;
import dev.wrenn.control.exec.ExecRoutes;
import dev.wrenn.control.exec.ExecStreamSocket;
import dev.wrenn.control.files.FileRoutes;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.invites.InviteRoutes;
import dev.wrenn.control.invites.InviteService;
import dev.wrenn.control.quota.Quota;
import dev.wrenn.control.quota.QuotaRoutes;
import dev.wrenn.control.quota.QuotaService;
import dev.wrenn.control.sandboxes.SandboxRoutes;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.service.AccountService;
import dev.wrenn.control.service.ApiKeyService;
import dev.wrenn.control.service.SessionService;
import dev.wrenn.control.snapshots.SnapshotRoutes;
import dev.wrenn.control.snapshots.SnapshotService;
import dev.wrenn.control.templates.ContextFiles;
import dev.wrenn.control.templates.TemplateBuildService;
import dev.wrenn.control.templates.TemplateRoutes;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/**
 * Builds the control plane's HTTP server: every route, the authentication rules, JSON errors, metrics and docs.
 * The caller owns the database and the host agent client and starts the returned server.
 */
public final class ControlPlaneApp {
    private ControlPlaneApp() {}

    public static Javalin create(Config config, Database database, HostAgentClient hostAgent) {
        return create(config, database, hostAgent, Clock.systemUTC());
    }

    public static Javalin create(Config config, Database database, HostAgentClient hostAgent, Clock clock) {
        return create(config, database, hostAgent, clock, null);
    }

    /** With host enrollment ({@code enrollment} null: no enrollment routes, as in tests that need none). */
    public static Javalin create(
            Config config, Database database, HostAgentClient hostAgent, Clock clock, EnrollmentService enrollment) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        database.poolMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        Components components = Components.wire(config, database, hostAgent, clock);
        return Javalin.create(javalin -> {
            HttpApi.configureServer(javalin, registry);
            javalin.events.serverStarted(components.templateBuilds()::startTimer);
            javalin.events.serverStopping(components.templateBuilds()::close);
            ConsoleFeatures.register(javalin, components.auth(), components.sandboxes(), hostAgent);
            HttpApi.registerRoutes(
                    javalin.routes,
                    database,
                    registry,
                    components.auth(),
                    components.accounts(),
                    components.sessions(),
                    components.apiKeys(),
                    clock);
            new InviteRoutes(components.invites(), components.auth(), clock).register(javalin.routes);
            components.registerSandboxRoutes(javalin.routes, config);
            if (enrollment != null) {
                new EnrollmentRoutes(enrollment, components.auth(), clock).register(javalin.routes);
            }
        });
    }

    /** The services behind the routes, built once per app. */
    record Components(
            AccountService accounts,
            ApiKeyService apiKeys,
            Authenticator auth,
            HostAgentClient hostAgent,
            SandboxService sandboxes,
            SnapshotService snapshots,
            E2bCompat e2b,
            QuotaRoutes quotaRoutes,
            SessionService sessions,
            AuditRoutes auditRoutes,
            InviteService invites,
            TemplateBuildService templateBuilds) {
        static Components wire(Config config, Database database, HostAgentClient hostAgent, Clock clock) {
            SessionRepository sessionRows = new SessionRepository(database);
            JwtService tokens = new JwtService(config.jwtSecret(), clock, sessionRows);
            AuditLog audit = new AuditLog(database, clock, AuditLog.retentionFromEnv(System.getenv()));
            ApiKeyService apiKeys = new ApiKeyService(new ApiKeyRepository(database), clock, audit);
            PasswordHasher passwords = new PasswordHasher(config.bcryptCost());
            AccountService accounts = new AccountService(
                    new AccountRepository(database),
                    new InviteRepository(database),
                    passwords,
                    tokens,
                    clock,
                    config.signupMode(),
                    audit);
            TemplateRepository templates = new TemplateRepository(database);
            QuotaService quotas = new QuotaService(database, Quota.fromEnv(System.getenv()), clock);
            SandboxService sandboxes =
                    new SandboxService(new SandboxRepository(database), templates, hostAgent, clock, quotas, audit);
            SnapshotService snapshots = new SnapshotService(templates, sandboxes, hostAgent, clock, quotas, audit);
            Authenticator auth = new Authenticator(tokens, apiKeys, accounts::isAdmin);
            SessionService sessions =
                    new SessionService(new AccountRepository(database), sessionRows, passwords, tokens, audit, clock);
            return new Components(
                    accounts,
                    apiKeys,
                    auth,
                    hostAgent,
                    sandboxes,
                    snapshots,
                    E2bCompat.wire(database, sandboxes, snapshots, hostAgent, clock),
                    new QuotaRoutes(quotas, new AccountRepository(database), auth),
                    sessions,
                    new AuditRoutes(audit, database, auth),
                    new InviteService(new InviteRepository(database), clock, audit),
                    templateBuilds(config, database, templates, snapshots, sandboxes, hostAgent, quotas, clock));
        }

        private static TemplateBuildService templateBuilds(
                Config config,
                Database database,
                TemplateRepository templates,
                SnapshotService snapshots,
                SandboxService sandboxes,
                HostAgentClient hostAgent,
                QuotaService quotas,
                Clock clock) {
            TemplateBuildRepository builds = new TemplateBuildRepository(database);
            return new TemplateBuildService(
                    builds,
                    templates,
                    snapshots,
                    sandboxes,
                    hostAgent,
                    new ContextFiles(config.dataDir(), config.jwtSecret(), config.maxUploadBytes(), builds, clock),
                    quotas,
                    clock,
                    TemplateBuildService.maxConcurrentFromEnv(System.getenv()));
        }

        /** Sandboxes, exec (request and WebSocket), files and snapshots. */
        void registerSandboxRoutes(RoutesConfig routes, Config config) {
            new SandboxRoutes(sandboxes, hostAgent, auth).register(routes);
            new ExecRoutes(sandboxes, hostAgent, auth).register(routes);
            new ExecStreamSocket(auth, sandboxes, hostAgent).register(routes);
            new FileRoutes(sandboxes, hostAgent, auth, config.maxUploadBytes(), FileRoutes.spoolDir(config.dataDir()))
                    .register(routes);
            new SnapshotRoutes(snapshots, auth).register(routes);
            TemplateRoutes templateRoutes = new TemplateRoutes(templateBuilds, snapshots);
            e2b.registerRoutes(routes, auth, templateRoutes);
            templateRoutes.registerV1(routes, auth::apiKeyOrJwt);
            quotaRoutes.register(routes);
            auditRoutes.register(routes);
        }
    }
}
