package dev.wrenn.control.db;

import java.time.Instant;

/** An invitation to join a team; its token is never stored, only the token's hash. {@code usedAt} null: unused. */
public record Invite(
        String id, String teamId, String createdBy, Instant createdAt, Instant expiresAt, Instant usedAt) {}
