package dev.wrenn.control.hosts;

import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A server-streaming call as a Java stream: failures become API errors, closing the stream cancels the call. */
final class ServerStream<T> implements Iterator<T> {
    private final String operation;
    private final String object;
    private final BlockingClientCall<?, T> call;

    private ServerStream(String operation, String object, BlockingClientCall<?, T> call) {
        this.operation = operation;
        this.object = object;
        this.call = call;
    }

    static <T> Stream<T> of(String operation, String object, BlockingClientCall<?, T> call) {
        ServerStream<T> iterator = new ServerStream<>(operation, object, call);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false)
                .onClose(() -> call.cancel("closed by the control plane", null));
    }

    @Override
    public boolean hasNext() {
        try {
            return call.hasNext();
        } catch (StatusException e) {
            throw AgentErrors.toApi(operation, object, e.getStatus(), e);
        } catch (InterruptedException e) {
            call.cancel("interrupted", e);
            throw AgentErrors.interrupted(operation, object, e);
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException(operation + " " + object + " has ended");
        }
        try {
            return call.read();
        } catch (StatusException e) {
            throw AgentErrors.toApi(operation, object, e.getStatus(), e);
        } catch (InterruptedException e) {
            call.cancel("interrupted", e);
            throw AgentErrors.interrupted(operation, object, e);
        }
    }
}
