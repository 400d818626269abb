package dev.wrenn.control.hosts;

import java.time.Instant;

/**
 * A template (snapshot) whose files the host agent holds, as its template listing reports it: the name it is
 * stored under ({@code tpl-…} for the control plane's snapshots) and when its files became durable there.
 */
public record HostTemplate(String name, Instant createdAt) {}
