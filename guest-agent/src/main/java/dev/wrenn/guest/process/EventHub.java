package dev.wrenn.guest.process;

import dev.wrenn.protocol.envd.process.ProcessEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fans a process's data events out to the streams attached to it (the Start stream and any Connect streams) and
 * keeps its end event, so a stream attaching after the process ended still receives it.
 */
final class EventHub {
    private final List<Subscription> subscriptions = new ArrayList<>();
    private ProcessEvent end;

    synchronized void publish(ProcessEvent event) {
        for (Subscription subscription : subscriptions) {
            subscription.offer(event);
        }
    }

    /** Delivers the end event to every attached stream and to every stream that attaches later. */
    synchronized void finish(ProcessEvent endEvent) {
        end = endEvent;
        publish(endEvent);
        subscriptions.clear();
    }

    /** Attaches a stream; if the process already ended it receives the end event at once. */
    synchronized void subscribe(Subscription subscription) {
        if (end != null) {
            subscription.offer(end);
        } else {
            subscriptions.add(subscription);
        }
    }

    synchronized void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    synchronized Optional<ProcessEvent> end() {
        return Optional.ofNullable(end);
    }
}
