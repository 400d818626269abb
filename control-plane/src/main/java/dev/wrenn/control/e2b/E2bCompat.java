package dev.wrenn.control.e2b;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.snapshots.SnapshotService;
import io.javalin.config.RoutesConfig;
import java.time.Clock;

/** The E2B-compatible pieces over one database and host agent: the API's services, its scheduler and the proxy. */
public record E2bCompat(
        E2bSandboxes sandboxes,
        SandboxService core,
        SnapshotService snapshots,
        SandboxRepository rows,
        LifecycleRepository lifecycles,
        GuestTokens tokens,
        MetricsHistory metricsHistory,
        HostAgentClient hostAgent,
        Clock clock) {

    public static E2bCompat wire(Database database, SandboxService core, HostAgentClient hostAgent, Clock clock) {
        return wire(
                database,
                core,
                new SnapshotService(new TemplateRepository(database), core, hostAgent, clock),
                hostAgent,
                clock);
    }

    /** With the snapshot service the /v1 routes use (its quota checks included). */
    public static E2bCompat wire(
            Database database, SandboxService core, SnapshotService snapshots, HostAgentClient hostAgent, Clock clock) {
        SandboxRepository rows = new SandboxRepository(database);
        LifecycleRepository lifecycles = new LifecycleRepository(database);
        GuestTokens tokens = new GuestTokens(hostAgent);
        MetricsHistory metricsHistory = new MetricsHistory(database);
        return new E2bCompat(
                new E2bSandboxes(core, rows, lifecycles, hostAgent, tokens, metricsHistory, clock),
                core,
                snapshots,
                rows,
                lifecycles,
                tokens,
                metricsHistory,
                hostAgent,
                clock);
    }

    public void registerRoutes(RoutesConfig routes, Authenticator auth) {
        new E2bRoutes(sandboxes, core, snapshots, auth).register(routes);
    }

    /** With E2B's template build API (issue 14). */
    public void registerRoutes(
            RoutesConfig routes, Authenticator auth, dev.wrenn.control.templates.TemplateRoutes templates) {
        new E2bRoutes(sandboxes, core, snapshots, auth, templates).register(routes);
    }

    public TimeoutScheduler scheduler() {
        return new TimeoutScheduler(sandboxes, lifecycles, clock);
    }

    /** E2B's metrics history: a sample of every running sandbox each {@link MetricsHistory#INTERVAL}. */
    public MetricsSampler metricsSampler() {
        return new MetricsSampler(rows, hostAgent, metricsHistory, clock);
    }
}
