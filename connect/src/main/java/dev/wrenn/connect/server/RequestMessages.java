package dev.wrenn.connect.server;

import com.google.protobuf.Message;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.Envelope;
import dev.wrenn.connect.codec.EnvelopeReader;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The request envelopes of a client-streaming call, read one at a time as the handler asks, so the handler sees each
 * message as soon as it arrives. Throws {@link ConnectException} for a malformed stream or a cancelled call.
 */
final class RequestMessages<T extends Message> implements Iterator<T> {
    private final EnvelopeReader reader;
    private final Codec codec;
    private final T prototype;
    private final ServerCallContext context;
    private T next;
    private boolean finished;

    RequestMessages(EnvelopeReader reader, Codec codec, T prototype, ServerCallContext context) {
        this.reader = reader;
        this.codec = codec;
        this.prototype = prototype;
        this.context = context;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (finished) {
            return false;
        }
        if (context.isCancelled()) {
            throw context.cancellationError();
        }
        Optional<Envelope> envelope = read();
        if (envelope.isEmpty()) {
            finished = true;
            return false;
        }
        next = codec.decode(checkRequestEnvelope(envelope.get(), context.procedure()), prototype);
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the request stream of " + context.procedure() + " has ended");
        }
        T message = next;
        next = null;
        return message;
    }

    private Optional<Envelope> read() {
        try {
            return reader.next();
        } catch (IOException e) {
            context.cancel(Code.CANCELED);
            throw new ConnectException(
                    Code.CANCELED,
                    "reading the request stream of " + context.procedure() + " failed: " + e.getMessage(),
                    e);
        }
    }

    /** The payload of a request envelope; compressed and end-stream envelopes have no place in a request. */
    static byte[] checkRequestEnvelope(Envelope envelope, String procedure) {
        if (envelope.isCompressed()) {
            throw ConnectException.invalidArgument("compressed request message to " + procedure
                    + ": this server does not support compression (flag 0x01)");
        }
        if (envelope.flags() != 0) {
            throw ConnectException.invalidArgument(
                    "unexpected envelope flags 0x%02x in a request to %s".formatted(envelope.flags(), procedure));
        }
        return envelope.payload();
    }
}
