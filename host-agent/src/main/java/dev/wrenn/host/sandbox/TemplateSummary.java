package dev.wrenn.host.sandbox;

/** A template just made: its name and the disk it occupies (blocks in use, not apparent sizes). */
public record TemplateSummary(String name, long sizeBytes) {}
