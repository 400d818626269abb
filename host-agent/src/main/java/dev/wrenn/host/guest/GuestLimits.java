package dev.wrenn.host.guest;

import java.time.Duration;

/**
 * How much and how long the guest agent may take to answer. The guest is root in its VM, so its agent's answers are
 * hostile: every read from it is capped in size and bounded in time, and a guest that breaks a limit fails only its
 * own call (and is reported in its sandbox's {@link GuestFaults}). Response headers are capped by the JDK's HTTP
 * client ({@code jdk.http.maxHeaderSize}, 384 KiB by default; a chunk header at 2 KiB).
 *
 * @param connect how long a TCP connect to the guest may take
 * @param headers how long response headers may take (for calls with no shorter deadline of their own)
 * @param streamIdle the longest a stream or download may send nothing while the host waits for it
 * @param keepalive the keepalive interval asked of process streams (well under {@code streamIdle})
 * @param maxMessageBytes the largest unary Connect answer or streamed message
 * @param maxSmallBody the largest body of /health, /init, /metrics and of error answers
 */
public record GuestLimits(
        Duration connect,
        Duration headers,
        Duration streamIdle,
        Duration keepalive,
        int maxMessageBytes,
        int maxSmallBody) {
    /** The host agent's limits: a guest behind a TAP on this host answers in milliseconds when it is well. */
    public static final GuestLimits DEFAULT = new GuestLimits(
            Duration.ofSeconds(3),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            8 << 20,
            64 << 10);

    public GuestLimits {
        if (keepalive.compareTo(streamIdle) >= 0) {
            throw new IllegalArgumentException(
                    "keepalive " + keepalive + " must be shorter than the idle limit " + streamIdle);
        }
        if (keepalive.toSeconds() < 1) {
            throw new IllegalArgumentException("the keepalive interval is whole seconds, at least 1");
        }
    }
}
