package dev.wrenn.control.e2b;

import java.time.Instant;

/** When a sandbox created through the E2B API ends ({@code endAt}, absolute) and what happens then. */
record Lifecycle(String sandboxId, Instant endAt, OnTimeout onTimeout) {
    boolean isExpired(Instant now) {
        return !endAt.isAfter(now);
    }

    Lifecycle endingAt(Instant newEnd) {
        return new Lifecycle(sandboxId, newEnd, onTimeout);
    }
}
