package dev.wrenn.control.audit;

import java.time.Instant;
import java.util.Map;

/** One line of a team's audit log, as stored and as the API shows it. {@code details} never holds a secret. */
public record AuditEntry(
        String id,
        String teamId,
        String actorType,
        String actorId,
        String action,
        String target,
        String address,
        Map<String, String> details,
        Instant createdAt) {}
