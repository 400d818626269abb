package dev.wrenn.control.e2b;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a metrics sample of every running sandbox each {@link MetricsHistory#INTERVAL} (a passive read: it never
 * counts as activity) into {@link MetricsHistory}, and deletes what is older than the retention once a minute.
 */
public final class MetricsSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsSampler.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final SandboxRepository rows;
    private final HostAgentClient hostAgent;
    private final MetricsHistory history;
    private final Clock clock;
    private Instant lastPrune = Instant.MIN;
    private ScheduledExecutorService timer;

    public MetricsSampler(SandboxRepository rows, HostAgentClient hostAgent, MetricsHistory history, Clock clock) {
        this.rows = rows;
        this.hostAgent = hostAgent;
        this.history = history;
        this.clock = clock;
    }

    public MetricsSampler start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("e2b-metrics").daemon(true).factory());
        timer.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass; returns how many sandboxes were sampled. A sandbox whose read fails (pausing, say) is skipped. */
    public int runOnce() {
        Map<String, MetricSample> samples = new LinkedHashMap<>();
        for (Sandbox sandbox : rows.listOnHost(SandboxService.DEFAULT_HOST, Set.of(SandboxStatus.RUNNING))) {
            try {
                samples.put(sandbox.id(), MetricSample.of(hostAgent.sampleMetrics(sandbox.id()), clock.instant()));
            } catch (RuntimeException e) {
                LOG.debug("no metrics sample of sandbox {}: {}", sandbox.id(), e.getMessage());
            }
        }
        int sampled = samples.size();
        try {
            history.recordAll(samples);
        } catch (RuntimeException e) {
            // One bad row (a sandbox deleted meanwhile) must not cost the others their sample.
            sampled = 0;
            for (Map.Entry<String, MetricSample> sample : samples.entrySet()) {
                try {
                    history.record(sample.getKey(), sample.getValue());
                    sampled++;
                } catch (RuntimeException one) {
                    LOG.debug("metrics sample of sandbox {} not stored: {}", sample.getKey(), one.getMessage());
                }
            }
        }
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) >= 0) {
            lastPrune = now;
            history.prune(now);
        }
        return sampled;
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("the metrics sampling pass failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
                    LOG.warn("the metrics sampling pass did not stop within 2 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
