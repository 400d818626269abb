package dev.wrenn.guest.process;

import static org.awaitility.Awaitility.await;

import dev.wrenn.connect.StreamSink;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A Start or Connect stream running on its own thread, recording the events the client would receive. */
final class StreamCall<O> implements StreamSink<O> {
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Function<O, ProcessEvent> unwrap;
    private final List<ProcessEvent> events = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    final FakeCallContext context;
    private volatile boolean closed;

    StreamCall(FakeCallContext context, Function<O, ProcessEvent> unwrap) {
        this.context = context;
        this.unwrap = unwrap;
    }

    void runHandler(Runnable handler) {
        Thread.ofVirtual().start(() -> {
            try {
                handler.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
    }

    @Override
    public synchronized void send(O message) {
        if (closed) {
            throw new StreamClosedException("the test client went away", null);
        }
        events.add(unwrap.apply(message));
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** The client goes away: the sink refuses further messages and the call is cancelled. */
    void disconnect() {
        closed = true;
        context.cancel();
    }

    synchronized List<ProcessEvent> events() {
        return List.copyOf(events);
    }

    int pid() {
        await().atMost(PATIENCE).until(() -> !events().isEmpty());
        return events().getFirst().getStart().getPid();
    }

    /** Waits for the stream to finish and returns the end event (the last event). */
    ProcessEvent.EndEvent awaitEnd() {
        done.orTimeout(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .join();
        return events().getLast().getEnd();
    }

    CompletableFuture<Void> completion() {
        return done;
    }

    String stdout() {
        return text(e -> e.getData().getStdout().toByteArray());
    }

    String stderr() {
        return text(e -> e.getData().getStderr().toByteArray());
    }

    String pty() {
        return text(e -> e.getData().getPty().toByteArray());
    }

    private String text(Function<ProcessEvent, byte[]> part) {
        StringBuilder text = new StringBuilder();
        for (ProcessEvent event : events()) {
            if (event.hasData()) {
                text.append(new String(part.apply(event), StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }
}
