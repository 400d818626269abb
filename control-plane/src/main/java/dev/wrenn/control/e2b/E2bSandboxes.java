package dev.wrenn.control.e2b;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.NetworkRules;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.sandboxes.SandboxSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The E2B face of Wrenn's sandboxes: the same rows and VMs as /v1, plus an absolute end time per sandbox (E2B's
 * {@code timeout}), which {@link TimeoutScheduler} enforces. Sandboxes created through /v1 have no end time; they
 * show their inactivity deadline instead.
 */
public final class E2bSandboxes {
    private final SandboxService sandboxes;
    private final SandboxRepository rows;
    private final LifecycleRepository lifecycles;
    private final HostAgentClient hostAgent;
    private final GuestTokens tokens;
    private final MetricsHistory metricsHistory;
    private final Clock clock;

    public E2bSandboxes(
            SandboxService sandboxes,
            SandboxRepository rows,
            LifecycleRepository lifecycles,
            HostAgentClient hostAgent,
            GuestTokens tokens,
            MetricsHistory metricsHistory,
            Clock clock) {
        this.sandboxes = sandboxes;
        this.rows = rows;
        this.lifecycles = lifecycles;
        this.hostAgent = hostAgent;
        this.tokens = tokens;
        this.metricsHistory = metricsHistory;
        this.clock = clock;
    }

    /** Boots the sandbox (env vars reach the guest before this returns) and starts its clock. */
    E2bViews.SandboxCreated create(String teamId, NewSandbox request) {
        // timeout_sec 0: no inactivity pause in the host agent; E2B's timeout is an end time, kept here.
        SandboxSpec spec = SandboxSpec.of(request.templateId(), null, null, 0, request.metadata());
        OnTimeout onTimeout = request.autoPause() ? OnTimeout.PAUSE : OnTimeout.KILL;
        // The end time is written with the pending row (one transaction), so a sandbox a crashed create leaves
        // behind, once the reconciler adopts it, still ends; after the boot it counts from the sandbox being ready.
        Sandbox sandbox = sandboxes.create(
                teamId,
                spec,
                request.envVars(),
                request.network(),
                (h, pending) -> LifecycleRepository.save(
                        h, new Lifecycle(pending.id(), now().plusSeconds(request.timeoutSec()), onTimeout)));
        lifecycles.save(new Lifecycle(sandbox.id(), now().plusSeconds(request.timeoutSec()), onTimeout));
        return E2bViews.SandboxCreated.of(sandbox, tokens.of(sandbox.id()));
    }

    /** A live (running or paused) sandbox of the team; 404 otherwise, ended ones included. */
    Sandbox live(String teamId, String id) {
        Sandbox sandbox = sandboxes.get(teamId, id);
        if (sandbox.status().isEnded()) {
            throw ApiException.notFound("sandbox " + id + " not found");
        }
        return sandbox;
    }

    E2bViews.SandboxDetail detail(String teamId, String id) {
        Sandbox sandbox = live(teamId, id);
        Lifecycle lifecycle = lifecycleOf(sandbox);
        return E2bViews.SandboxDetail.of(
                sandbox, lifecycle.endAt(), lifecycle.onTimeout(), tokens.of(id), sandboxes.networkRules(id));
    }

    /** E2B's network update: replaces every egress rule of a running or paused sandbox. */
    void updateNetwork(String teamId, String id, NetworkRules rules) {
        live(teamId, id);
        sandboxes.updateNetwork(teamId, id, rules);
    }

    /** The end time: E2B's if set, else the inactivity deadline of a /v1 sandbox, else a day after it started. */
    Lifecycle lifecycleOf(Sandbox sandbox) {
        return lifecycles.find(sandbox.id()).orElseGet(() -> {
            Instant from = sandbox.lastActiveAt() != null ? sandbox.lastActiveAt() : sandbox.createdAt();
            int seconds = sandbox.timeoutSec() > 0 ? sandbox.timeoutSec() : SandboxSpec.MAX_TIMEOUT_SEC;
            return new Lifecycle(sandbox.id(), from.plusSeconds(seconds), OnTimeout.PAUSE);
        });
    }

    /** Kills the sandbox; 404 if it is unknown or already over, which the SDK reads as {@code false}. */
    void kill(String teamId, String id) {
        live(teamId, id);
        sandboxes.destroy(teamId, id);
        tokens.forget(id);
    }

    /** Sets the end to now + {@code timeoutSec}, shorter or longer than before. */
    void setTimeout(String teamId, String id, int timeoutSec) {
        live(teamId, id);
        Sandbox sandbox = sandboxes.require(teamId, id, SandboxOperation.SET_TIMEOUT);
        lifecycles.save(lifecycleOf(sandbox).endingAt(now().plusSeconds(NewSandbox.checkedTimeout(timeoutSec))));
    }

    /** Pauses a running sandbox; 409 if it is paused already. */
    void pause(String teamId, String id) {
        live(teamId, id);
        sandboxes.pause(teamId, id); // 409 from the status table when it is not running
    }

    /**
     * Resumes a paused sandbox (then {@code resumed} is true) and moves its end to now + {@code timeoutSec} unless it
     * was later already: connecting never shortens a sandbox's life. {@code memory} false (E2B's disk-only resume)
     * is refused for a paused sandbox: see {@link FilesystemOnlyPause}.
     */
    Connected connect(String teamId, String id, int timeoutSec, boolean memory) {
        live(teamId, id);
        Sandbox sandbox = sandboxes.require(teamId, id, SandboxOperation.CONNECT);
        boolean resumed = sandbox.status() == SandboxStatus.PAUSED;
        if (resumed && !memory) {
            throw FilesystemOnlyPause.unsupported("memory"); // E2B: a no-op for a running sandbox, else a cold boot
        }
        if (resumed) {
            sandbox = sandboxes.resume(teamId, id);
        }
        Lifecycle lifecycle = lifecycleOf(sandbox);
        Instant wanted = now().plusSeconds(NewSandbox.checkedTimeout(timeoutSec));
        if (wanted.isAfter(lifecycle.endAt()) || resumed) {
            lifecycles.save(lifecycle.endingAt(later(wanted, lifecycle.endAt())));
        }
        return new Connected(resumed, E2bViews.SandboxCreated.of(sandbox, tokens.of(id)));
    }

    /** The answer to connect: 201 after a resume, 200 for a sandbox that was running. */
    record Connected(boolean resumed, E2bViews.SandboxCreated sandbox) {}

    /** What the scheduler does when a sandbox's time is up: kill or pause it. */
    void expire(LifecycleRepository.Due due) {
        String id = due.lifecycle().sandboxId();
        switch (due.lifecycle().onTimeout()) {
            case KILL -> kill(due.teamId(), id);
            case PAUSE -> pause(due.teamId(), id);
        }
    }

    /** Whether the sandbox's E2B end time has passed (a /v1 sandbox's never does here). */
    boolean isExpired(String sandboxId) {
        return lifecycles.find(sandboxId).map(l -> l.isExpired(now())).orElse(false);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The sandbox's metrics history within {@code [startSec, endSec]} (Unix seconds, each optional: the first or last
     * sample), downsampled as E2B's API does ({@link MetricsRange}). A running sandbox without a sample yet (created
     * within the sampler's interval) gets one taken now, so a first call right after create is not empty.
     */
    public List<Map<String, Object>> metrics(String teamId, String id, Long startSec, Long endSec) {
        Sandbox sandbox = sandboxes.get(teamId, id);
        Optional<Instant[]> span = metricsHistory.span(sandbox.id());
        if (span.isEmpty() && SandboxOperation.METRICS.allowedIn(sandbox.status())) {
            metricsHistory.record(sandbox.id(), MetricSample.of(hostAgent.sampleMetrics(sandbox.id()), now()));
            span = metricsHistory.span(sandbox.id());
        }
        if (span.isEmpty()) {
            MetricsRange.of(startSec, endSec, now(), now()); // a bad range is still a 400
            return List.of();
        }
        MetricsRange range = MetricsRange.of(startSec, endSec, span.get()[0], span.get()[1]);
        return range.downsample(metricsHistory.between(sandbox.id(), range.start(), range.end())).stream()
                .map(MetricSample::json)
                .toList();
    }

    /** The newest sample of each of the team's sandboxes among {@code ids} that has one, by id. */
    public Map<String, Map<String, Object>> latestMetrics(String teamId, List<String> ids) {
        List<String> own =
                ids.stream().filter(id -> rows.find(teamId, id).isPresent()).toList();
        Map<String, Map<String, Object>> latest = new LinkedHashMap<>();
        metricsHistory.latest(own).forEach((id, sample) -> latest.put(id, sample.json()));
        return latest;
    }
}
