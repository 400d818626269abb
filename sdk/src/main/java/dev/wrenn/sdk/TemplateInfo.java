package dev.wrenn.sdk;

import java.time.Instant;

/**
 * A template sandboxes start from ({@link Templates#list}): a built-in image such as {@code base}, or a snapshot.
 *
 * @param name what {@link Sandbox#create(String)} takes
 * @param type {@code base} or {@code snapshot} (Wrenn), {@code template} elsewhere
 * @param vcpus virtual CPUs of its sandboxes, or 0 when not fixed
 * @param memoryMb memory of its sandboxes in MiB, or 0 when not fixed
 * @param sizeBytes its size on disk, or 0
 * @param createdAt when it was made, or null
 */
public record TemplateInfo(String name, String type, int vcpus, int memoryMb, long sizeBytes, Instant createdAt) {}
