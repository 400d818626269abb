package dev.wrenn.control.db;

import java.time.Instant;

/**
 * A team's API key as stored: never the key itself, only its hash (kept out of this record) and its first
 * characters. {@code creatorEmail} comes from a join and is null on records built for insertion.
 */
public record ApiKey(
        String id,
        String teamId,
        String name,
        String keyPrefix,
        String createdBy,
        String creatorEmail,
        Instant createdAt,
        Instant lastUsed) {}
