package dev.wrenn.control.reconciler;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.hosts.HostTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot files on the host whose template row was never written (the control plane stopped between the host's
 * snapshot and the insert, or the insert failed and its cleanup did too). Only names the control plane gives
 * snapshots ({@code tpl-…}) are considered, never the agent's own base templates, and only once they are older than
 * a grace period, so a snapshot whose row is being written right now is never taken for an orphan.
 */
final class OrphanTemplates {
    static final String PREFIX = "tpl-";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanTemplates.class);

    private final Database database;
    private final HostAgentClient hostAgent;
    private final Duration grace;
    private boolean unsupportedLogged;

    OrphanTemplates(Database database, HostAgentClient hostAgent, Duration grace) {
        this.database = database;
        this.hostAgent = hostAgent;
        this.grace = grace;
    }

    /** Deletes the orphans older than the grace period; returns their names. */
    List<String> collect(Instant now) {
        List<HostTemplate> onHost;
        try {
            onHost = hostAgent.listTemplates();
        } catch (UnsupportedOperationException e) {
            if (!unsupportedLogged) {
                unsupportedLogged = true;
                LOG.info("snapshot files without a template row are not collected: {}", e.getMessage());
            }
            return List.of();
        }
        Set<String> known = knownIds();
        return onHost.stream()
                .filter(t -> t.name().startsWith(PREFIX) && !known.contains(t.name()))
                .filter(t -> !t.createdAt().plus(grace).isAfter(now))
                .filter(this::delete)
                .map(HostTemplate::name)
                .toList();
    }

    private boolean delete(HostTemplate orphan) {
        try {
            hostAgent.deleteSnapshot(orphan.name());
            LOG.warn(
                    "deleted snapshot {} on the host (made {}): no template row names it after {} s",
                    orphan.name(),
                    orphan.createdAt(),
                    grace.toSeconds());
            return true;
        } catch (RuntimeException e) {
            // e.g. sandboxes still booted from it: their disks build on its files. Tried again next pass.
            LOG.warn("deleting the orphan snapshot {} on the host failed: {}", orphan.name(), e.getMessage());
            return false;
        }
    }

    private Set<String> knownIds() {
        return new HashSet<>(database.jdbi()
                .withHandle(h -> h.createQuery("SELECT id FROM templates")
                        .mapTo(String.class)
                        .list()));
    }
}
