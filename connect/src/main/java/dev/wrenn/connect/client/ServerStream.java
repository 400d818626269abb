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
import java.net.ProtocolException;
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
    private final GuardedInputStream body;
    private volatile boolean closed;
    private O next;
    private EndStream end;

    ServerStream(
            HttpResponse<InputStream> response,
            Codec codec,
            O prototype,
            String path,
            ConnectClient.Limits limits,
            Duration timeoutOrNull) {
        this.response = response;
        // The deadline covers the whole stream; the idle limit each wait for the peer's next bytes.
        this.body = new GuardedInputStream(
                response.body(), "the stream from " + path, Long.MAX_VALUE, timeoutOrNull, limits.streamIdleOrNull());
        this.reader = new EnvelopeReader(body, limits.maxMessageBytes());
        this.codec = codec;
        this.prototype = prototype;
        this.path = path;
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
        next = ConnectClient.decodeAnswer(codec, envelope.payload(), prototype, path);
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
        try {
            body.close();
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
        } catch (ConnectException e) {
            if (e.code() != Code.RESOURCE_EXHAUSTED) {
                throw e;
            }
            close(); // the rest of an oversized message is never read: drop the connection
            throw new ConnectException(
                    e.code(), "the stream from " + path + ": " + e.getMessage(), new ProtocolException(e.getMessage()));
        }
    }

    private ConnectException readFailure(IOException e) {
        if (e instanceof ReadLimitException limit) {
            String message = limit.kind() == ReadLimitException.Kind.DEADLINE
                    ? "deadline of " + path + " exceeded"
                    : limit.getMessage();
            return new ConnectException(limit.code(), message, e);
        }
        if (closed) {
            return new ConnectException(Code.CANCELED, "the stream from " + path + " was closed", e);
        }
        return new ConnectException(Code.UNAVAILABLE, "reading the stream from " + path + " failed: " + e, e);
    }

    private void finish(EndStream endStream) {
        end = endStream;
        close();
        if (endStream.error().isPresent()) {
            throw endStream.error().get();
        }
    }
}
