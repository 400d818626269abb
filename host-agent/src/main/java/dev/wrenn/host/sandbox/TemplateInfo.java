package dev.wrenn.host.sandbox;

import java.time.Instant;

/** A committed template on this host: its name, when it was made, and the sandbox it was made from. */
public record TemplateInfo(String name, Instant createdAt, String sourceSandboxId) {}
