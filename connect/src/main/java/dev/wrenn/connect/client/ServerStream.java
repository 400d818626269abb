package dev.wrenn.connect.client;

import com.google.protobuf.Message;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.EndStream;
import dev.wrenn.connect.codec.Envelope;
import dev.wrenn.connect.codec.EnvelopeReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The messages of a streaming response, read envelope by envelope as the caller iterates. Ends cleanly at a successful
 * end-stream; throws {@link ConnectException} for an error end-stream, a body that ends without one ("missing
 * EndStreamResponse"), a broken connection or a passed deadline. Not thread-safe, except {@link #close()}, which may
 * be called from another thread to abandon the stream.
 */
public final class ServerStream<O extends Message> implements Iterator<O>, AutoCloseable {
    private final HttpResponse<InputStream> response;
    private final EnvelopeReader reader;
    private final Codec codec;
    private final O prototype;
    private final String path;
    private final Thread deadlineWatch;
    private volatile boolean deadlinePassed;
    private volatile boolean closed;
    private O next;
    private EndStream end;

    ServerStream(
            HttpResponse<InputStream> response,
            Codec codec,
            O prototype,
            String path,
            int maxMessageBytes,
            Duration timeoutOrNull) {
        this.response = response;
        this.reader = new EnvelopeReader(response.body(), maxMessageBytes);
        this.codec = codec;
        this.prototype = prototype;
        this.path = path;
        this.deadlineWatch = timeoutOrNull == null ? null : Thread.ofVirtual().start(() -> expireAfter(timeoutOrNull));
    }

    /** The response headers. */
    public Map<String, List<String>> headers() {
        return response.headers().map();
    }

    /** The end-stream metadata; empty until the stream has ended. */
    public Map<String, List<String>> trailers() {
        return end == null ? Map.of() : end.metadata();
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (end != null) {
            return false;
        }
        Envelope envelope = readEnvelope()
                .orElseThrow(() -> new ConnectException(Code.INTERNAL, "missing EndStreamResponse from " + path));
        if (envelope.isCompressed()) {
            throw new ConnectException(Code.INTERNAL, "compressed message from " + path + " (none was negotiated)");
        }
        if (envelope.isEndStream()) {
            finish(EndStream.parse(envelope.payload()));
            return false;
        }
        next = codec.decode(envelope.payload(), prototype);
        return true;
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream from " + path + " has ended");
        }
        O message = next;
        next = null;
        return message;
    }

    /** Stops reading and releases the connection; the server sees the client go away. */
    @Override
    public void close() {
        closed = true;
        stopDeadlineWatch();
        try {
            response.body().close();
        } catch (IOException ignored) {
            // Abandoning the stream anyway.
        }
    }

    /** For client-streaming calls: exactly one message, then a clean end. */
    O single() {
        if (!hasNext()) {
            throw new ConnectException(Code.INTERNAL, "response of " + path + " holds no message");
        }
        O message = next();
        if (hasNext()) {
            throw new ConnectException(Code.INTERNAL, "response of " + path + " holds more than one message");
        }
        return message;
    }

    private Optional<Envelope> readEnvelope() {
        try {
            return reader.next();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private ConnectException readFailure(IOException e) {
        if (deadlinePassed) {
            return new ConnectException(Code.DEADLINE_EXCEEDED, "deadline of " + path + " exceeded", e);
        }
        if (closed) {
            return new ConnectException(Code.CANCELED, "the stream from " + path + " was closed", e);
        }
        return new ConnectException(Code.UNAVAILABLE, "reading the stream from " + path + " failed: " + e, e);
    }

    private void finish(EndStream endStream) {
        end = endStream;
        stopDeadlineWatch();
        close();
        if (endStream.error().isPresent()) {
            throw endStream.error().get();
        }
    }

    private void expireAfter(Duration timeout) {
        try {
            Thread.sleep(timeout);
        } catch (InterruptedException e) {
            return;
        }
        deadlinePassed = true;
        try {
            response.body().close(); // unblocks a pending read, which then reports the deadline
        } catch (IOException ignored) {
            // Closing is best effort; the read fails either way.
        }
    }

    private void stopDeadlineWatch() {
        if (deadlineWatch != null) {
            deadlineWatch.interrupt();
        }
    }
}
