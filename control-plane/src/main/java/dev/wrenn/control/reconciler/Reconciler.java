package dev.wrenn.control.reconciler;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import java.time.Clock;
import java.time.Duration;
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
 * Brings the database in line with what the host agent really runs, every few seconds and on a thread of its own
 * (no request waits for it). Running or paused sandboxes the agent no longer has become stopped; a VM that died
 * becomes error with the agent's reason; one the agent's inactivity reaper paused becomes paused. Each change is a
 * compare-and-set on the status read, so a user's DELETE or a create in flight always wins over it.
 */
public final class Reconciler implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Set<SandboxStatus> WATCHED = EnumSet.of(SandboxStatus.RUNNING, SandboxStatus.PAUSED);
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final SandboxRepository sandboxes;
    private final HostAgentClient hostAgent;
    private final Clock clock;
    private final String hostId;
    private ScheduledExecutorService timer;

    public Reconciler(SandboxRepository sandboxes, HostAgentClient hostAgent, Clock clock, String hostId) {
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
        this.clock = clock;
        this.hostId = hostId;
    }

    /** Runs {@link #reconcileOnce} every {@code interval} until {@link #close}. */
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
     * One pass; returns the sandboxes it changed. The rows are read before the agent is asked: a sandbox that is
     * running in the database was running on the agent before the list, so missing from the list means gone, and
     * a create finishing in between is not mistaken for a lost VM.
     */
    public List<Sandbox> reconcileOnce() {
        List<Sandbox> rows = sandboxes.listOnHost(hostId, WATCHED);
        ListSandboxesResponse agent = hostAgent.listSandboxes();
        Map<String, SandboxInfo> live = agent.getSandboxesList().stream()
                .collect(Collectors.toMap(SandboxInfo::getSandboxId, Function.identity(), (a, b) -> b));
        Set<String> autoPaused = new HashSet<>(agent.getAutoPausedSandboxIdsList());
        return rows.stream()
                .map(row -> apply(row, live.get(row.id()), autoPaused.contains(row.id())))
                .flatMap(Optional::stream)
                .toList();
    }

    private Optional<Sandbox> apply(Sandbox row, SandboxInfo onAgent, boolean autoPaused) {
        Sandbox next = Reconciliation.next(row, onAgent, autoPaused, clock.instant());
        if (next == null || !sandboxes.updateIfStatus(next, row.status())) {
            return Optional.empty();
        }
        LOG.info(
                "sandbox {}: {} -> {}{}",
                row.id(),
                row.status().wireName(),
                next.status().wireName(),
                next.errorReason() == null ? "" : " (" + next.errorReason() + ")");
        if (next.status().isEnded() && onAgent != null) {
            forget(row.id());
        }
        return Optional.of(next);
    }

    /** A VM that stopped on its own stays listed by the agent until destroyed; free its record. */
    private void forget(String id) {
        try {
            hostAgent.destroySandbox(id);
        } catch (RuntimeException e) {
            LOG.warn("releasing the stopped sandbox {} on the host agent failed: {}", id, e.getMessage());
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
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the reconciler did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }
}
