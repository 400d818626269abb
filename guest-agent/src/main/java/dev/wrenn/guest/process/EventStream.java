package dev.wrenn.guest.process;

import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.StreamSink;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes one process's events to one Start or Connect stream: the start event, then data events as they come,
 * keepalives when nothing was sent for the keepalive interval, and finally the end event. A client that goes away
 * only detaches its stream; the process keeps running. When the call's deadline passes the stream fails with
 * deadline_exceeded after running {@code onDeadline} (Start kills the process there, as envd does).
 */
final class EventStream<O> {
    private static final ProcessEvent KEEPALIVE = ProcessEvent.newBuilder()
            .setKeepalive(ProcessEvent.KeepAlive.getDefaultInstance())
            .build();

    private final ManagedProcess process;
    private final Subscription subscription;
    private final CallContext context;
    private final StreamSink<O> sink;
    private final Function<ProcessEvent, O> wrap;
    private final Runnable onDeadline;
    private final long keepaliveNanos;
    private final Optional<Long> deadlineNanos;

    EventStream(
            ManagedProcess process,
            Subscription subscription,
            CallContext context,
            StreamSink<O> sink,
            Function<ProcessEvent, O> wrap,
            Runnable onDeadline,
            Duration keepalive) {
        this.process = process;
        this.subscription = subscription;
        this.context = context;
        this.sink = sink;
        this.wrap = wrap;
        this.onDeadline = onDeadline;
        this.keepaliveNanos = keepalive.toNanos();
        long now = System.nanoTime();
        this.deadlineNanos = context.deadline()
                .map(d -> now + Duration.between(Instant.now(), d).toNanos());
    }

    /** The interval from the Keepalive-Ping-Interval header (seconds), else {@code fallback}. */
    static Duration keepaliveInterval(CallContext context, Duration fallback) {
        return context.header("keepalive-ping-interval")
                .map(String::trim)
                .filter(v -> v.matches("[0-9]{1,9}"))
                .map(Long::parseLong)
                .filter(seconds -> seconds > 0)
                .map(Duration::ofSeconds)
                .orElse(fallback);
    }

    /** Streams until the end event is sent or the client leaves; returns without touching the process. */
    void run() {
        context.onCancel(subscription::wake);
        try {
            ProcessEvent start = ProcessEvent.newBuilder()
                    .setStart(ProcessEvent.StartEvent.newBuilder().setPid(process.pid()))
                    .build();
            if (send(start)) {
                forward();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.unsubscribe(subscription);
        }
    }

    private void forward() throws InterruptedException {
        long nextKeepalive = System.nanoTime() + keepaliveNanos;
        while (true) {
            ProcessEvent event = subscription.poll(nanosUntil(nextKeepalive));
            if (event != null && event.hasEnd()) {
                send(event);
                return;
            }
            failIfPastDeadline();
            if (context.isCancelled() || sink.isClosed()) {
                return;
            }
            boolean data = event != null && event != Subscription.WAKE_UP;
            if (data || System.nanoTime() - nextKeepalive >= 0) {
                if (!send(data ? event : KEEPALIVE)) {
                    return;
                }
                nextKeepalive = System.nanoTime() + keepaliveNanos;
            }
        }
    }

    private long nanosUntil(long nextKeepalive) {
        long now = System.nanoTime();
        long untilKeepalive = nextKeepalive - now;
        return deadlineNanos.map(d -> Math.min(untilKeepalive, d - now)).orElse(untilKeepalive);
    }

    /** Compares with the wall clock, as the server's deadline timer does, so both agree the deadline passed. */
    private void failIfPastDeadline() {
        if (context.deadline().filter(d -> !Instant.now().isBefore(d)).isPresent()) {
            onDeadline.run();
            throw new ConnectException(Code.DEADLINE_EXCEEDED, ConnectException.DEADLINE_MESSAGE);
        }
    }

    /** False when the client has gone away. */
    private boolean send(ProcessEvent event) {
        try {
            sink.send(wrap.apply(event));
            return true;
        } catch (StreamSink.StreamClosedException e) {
            return false;
        }
    }
}
