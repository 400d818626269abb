package dev.wrenn.control.db;

import java.time.Instant;

/** A team: the owner of sandboxes, templates and API keys. */
public record Team(String id, String name, Instant createdAt) {}
