package dev.wrenn.connect.client;

import com.google.protobuf.Message;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.Envelope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * The body of a client-streaming request: one envelope per message from the iterator, published as the HTTP client
 * asks for more. The iterator is pulled on a thread of our own: the JDK's stream-based publishers pull on the HTTP
 * client's writer, which then holds a finished message back until the next one exists.
 */
final class RequestBodyPublisher implements Flow.Publisher<ByteBuffer> {
    private final Iterator<? extends Message> messages;
    private final Codec codec;
    private final String procedure;
    private volatile Throwable failure;
    private boolean subscribed;

    RequestBodyPublisher(Iterator<? extends Message> messages, Codec codec, String procedure) {
        this.messages = messages;
        this.codec = codec;
        this.procedure = procedure;
    }

    /** What the iterator threw, if it did. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        synchronized (this) {
            if (subscribed) {
                // An iterator cannot be replayed, so a retried request has no body to send.
                subscriber.onSubscribe(new Demand());
                subscriber.onError(new IOException("the request stream of " + procedure + " was already sent"));
                return;
            }
            subscribed = true;
        }
        Demand demand = new Demand();
        subscriber.onSubscribe(demand);
        Thread.ofVirtual().name("connect-request-body").start(() -> pump(subscriber, demand));
    }

    private void pump(Flow.Subscriber<? super ByteBuffer> subscriber, Demand demand) {
        try {
            while (demand.awaitDemand()) {
                if (!messages.hasNext()) {
                    subscriber.onComplete();
                    return;
                }
                subscriber.onNext(ByteBuffer.wrap(
                        Envelope.message(codec.encode(messages.next())).encode()));
            }
        } catch (InterruptedException e) {
            subscriber.onError(new IOException("sending the request of " + procedure + " was interrupted", e));
        } catch (Throwable e) {
            // Errors too (a failed assertion, say): an uncaught one would leave the request hanging forever.
            failure = e;
            subscriber.onError(new IOException("the request messages of " + procedure + " failed: " + e, e));
        }
    }

    /** Reactive-streams demand: how many more buffers the subscriber accepts, or cancelled. */
    private static final class Demand implements Flow.Subscription {
        private long requested;
        private boolean cancelled;

        @Override
        public synchronized void request(long n) {
            requested = n <= 0 || requested + n < 0 ? Long.MAX_VALUE : requested + n;
            notifyAll();
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            notifyAll();
        }

        /** Waits until a buffer may be sent; false once cancelled. */
        synchronized boolean awaitDemand() throws InterruptedException {
            while (requested == 0 && !cancelled) {
                wait();
            }
            if (cancelled) {
                return false;
            }
            requested--;
            return true;
        }
    }
}
