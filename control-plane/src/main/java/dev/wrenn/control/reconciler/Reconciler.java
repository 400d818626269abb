package dev.wrenn.control.reconciler;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.InFlight;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database and the host agent in line, in both directions, at start and every few seconds, on a thread
 * of its own (no request waits for it). Live rows follow their VMs ({@link Reconciliation}): gone means stopped, died
 * means error, auto-paused means paused, and a pending row or a paused row over a running VM that no call of this
 * process is working on (a control plane that crashed or gave up mid-create or mid-resume) is adopted or cleared.
 * VMs without a live row are destroyed ({@link Strays}), and snapshot files without a template row are deleted
 * ({@link OrphanTemplates}). Each row change is a compare-and-set on the status read, so a user's request in flight
 * always wins over it.
 */
public final class Reconciler implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    /** How long a VM the database does not know is kept before it is destroyed. */
    public static final Duration STRAY_GRACE = Duration.ofSeconds(60);
    /** How long snapshot files without a row are kept (a snapshot's row is written right after its files). */
    public static final Duration TEMPLATE_GRACE = Duration.ofMinutes(10);

    private static final Set<SandboxStatus> LIVE =
            EnumSet.of(SandboxStatus.PENDING, SandboxStatus.RUNNING, SandboxStatus.PAUSED);
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final SandboxRepository sandboxes;
    private final HostAgentClient hostAgent;
    private final Clock clock;
    private final String hostId;
    private final Strays strays;
    private final OrphanTemplates templates;
    /** One pass at a time (the timer's and a test's); not the lock {@link #close} takes, so closing never waits. */
    private final Object pass = new Object();

    private ScheduledExecutorService timer;

    public Reconciler(SandboxRepository sandboxes, HostAgentClient hostAgent, Clock clock, String hostId) {
        this(sandboxes, hostAgent, clock, hostId, STRAY_GRACE, null);
    }

    private Reconciler(
            SandboxRepository sandboxes,
            HostAgentClient hostAgent,
            Clock clock,
            String hostId,
            Duration strayGrace,
            OrphanTemplates templates) {
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
        this.clock = clock;
        this.hostId = hostId;
        this.strays = new Strays(strayGrace);
        this.templates = templates;
    }

    /** The same reconciler with another grace period for VMs the database does not know. */
    public Reconciler withStrayGrace(Duration grace) {
        return new Reconciler(sandboxes, hostAgent, clock, hostId, grace, templates);
    }

    /** The same reconciler, also deleting the host's snapshot files that no template row in {@code database} names. */
    public Reconciler collectingTemplates(Database database, Duration grace) {
        return new Reconciler(
                sandboxes, hostAgent, clock, hostId, strays.grace(), new OrphanTemplates(database, hostAgent, grace));
    }

    /** Runs {@link #reconcileOnce} now and every {@code interval} until {@link #close}. */
    public synchronized Reconciler start(Duration interval) {
        if (timer != null) {
            throw new IllegalStateException("the reconciler is already running");
        }
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("reconciler").daemon().factory());
        timer.scheduleWithFixedDelay(this::reconcileQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One pass; returns the rows it changed. The rows are read before the agent is asked: a sandbox that is running
     * in the database was running on the agent before the list, so missing from the list means gone, and a create
     * finishing in between is not mistaken for a lost VM.
     */
    public List<Sandbox> reconcileOnce() {
        synchronized (pass) {
            return reconcile();
        }
    }

    private List<Sandbox> reconcile() {
        List<Sandbox> rows = sandboxes.listOnHost(hostId, LIVE);
        ListSandboxesResponse agent = hostAgent.listSandboxes();
        Map<String, SandboxInfo> live = agent.getSandboxesList().stream()
                .collect(Collectors.toMap(SandboxInfo::getSandboxId, Function.identity(), (a, b) -> b));
        Set<String> autoPaused = new HashSet<>(agent.getAutoPausedSandboxIdsList());
        Instant now = clock.instant();
        List<Sandbox> changed = new ArrayList<>();
        for (Sandbox row : rows) {
            apply(row, live.get(row.id()), autoPaused.contains(row.id()), now).ifPresent(changed::add);
        }
        Set<String> rowIds = rows.stream().map(Sandbox::id).collect(Collectors.toSet());
        destroyStrays(live.keySet(), rowIds, now);
        if (templates != null) {
            templates.collect(now);
        }
        return changed;
    }

    private Optional<Sandbox> apply(Sandbox row, SandboxInfo onAgent, boolean autoPaused, Instant now) {
        Reconciliation.Outcome outcome =
                Reconciliation.next(row, onAgent, autoPaused, InFlight.contains(row.id()), now);
        Sandbox next = outcome.row();
        if (next == null || !sandboxes.updateIfStatus(next, row.status())) {
            return Optional.empty();
        }
        LOG.info(
                "sandbox {}: {} -> {}{}",
                row.id(),
                row.status().wireName(),
                next.status().wireName(),
                next.errorReason() == null ? "" : " (" + next.errorReason() + ")");
        if (outcome.destroyVm() || (next.status().isEnded() && onAgent != null)) {
            destroy(row.id(), "its sandbox became " + next.status().wireName());
        }
        return Optional.of(next);
    }

    /** VMs the host runs that no live row read this pass accounts for. */
    private void destroyStrays(Set<String> onHost, Set<String> rowIds, Instant now) {
        strays.retain(onHost);
        for (String vm : onHost) {
            if (rowIds.contains(vm) || InFlight.contains(vm)) {
                continue;
            }
            switch (strays.judge(vm, sandboxes.findAnyTeam(vm), now)) {
                case KEEP -> {}
                case DESTROY_ENDED -> destroy(vm, "its sandbox has ended in the database");
                case DESTROY_UNKNOWN ->
                    destroy(
                            vm,
                            "the database has no sandbox of that id (seen for "
                                    + strays.grace().toSeconds() + " s)");
            }
        }
    }

    /** A VM that stopped on its own stays listed by the agent until destroyed; this frees it, or any stray. */
    private void destroy(String id, String why) {
        try {
            hostAgent.destroySandbox(id);
            LOG.warn("destroyed VM {} on the host agent: {}", id, why);
        } catch (RuntimeException e) {
            LOG.warn("destroying VM {} on the host agent ({}) failed: {}", id, why, e.getMessage());
        }
    }

    private void reconcileQuietly() {
        try {
            reconcileOnce();
        } catch (RuntimeException e) {
            // An unreachable agent changes nothing: its sandboxes are not presumed dead.
            LOG.warn("reconciling with the host agent failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the reconciler did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }
}
