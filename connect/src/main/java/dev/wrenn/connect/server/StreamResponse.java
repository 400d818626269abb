package dev.wrenn.connect.server;

import com.google.protobuf.Message;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.StreamSink;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.EndStream;
import dev.wrenn.connect.codec.Envelope;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming answer: status 200 with the streaming content type, one flushed envelope per message (chunked), then
 * the end-stream envelope, which carries any error. Headers go out with the first envelope so a handler may still set
 * response headers before it sends anything.
 */
final class StreamResponse implements Responder, StreamSink<Message> {
    private static final Logger log = LoggerFactory.getLogger(StreamResponse.class);

    private final HttpExchange exchange;
    private final Codec codec;
    private final ServerCallContext context;
    private final boolean closeOnEnd;
    private OutputStream out;
    private boolean ended;
    private IOException writeFailure;

    /**
     * @param closeOnEnd close the response as soon as the end-stream is written. Only safe once the request body has
     *     been read to its end: closing drains the request body, which must not race the handler's own reads.
     */
    StreamResponse(HttpExchange exchange, Codec codec, ServerCallContext context, boolean closeOnEnd) {
        this.exchange = exchange;
        this.codec = codec;
        this.context = context;
        this.closeOnEnd = closeOnEnd;
    }

    @Override
    public void send(Message message) {
        byte[] frame = Envelope.message(codec.encode(message)).encode();
        IOException failure;
        synchronized (this) {
            if (ended || writeFailure != null) {
                throw new StreamClosedException(closedReason(), writeFailure);
            }
            try {
                writeFrame(frame);
                return;
            } catch (IOException e) {
                writeFailure = e;
                failure = e;
            }
        }
        log.debug("stream of {} broke; the client went away", context.procedure(), failure);
        context.cancel(Code.CANCELED);
        throw new StreamClosedException(
                "the client of " + context.procedure() + " went away: " + failure.getMessage(), failure);
    }

    @Override
    public synchronized boolean isClosed() {
        return ended || writeFailure != null || context.isCancelled();
    }

    @Override
    public void complete(Message lastMessage) {
        if (lastMessage != null) {
            try {
                send(lastMessage);
            } catch (StreamClosedException e) {
                return;
            }
        }
        end(EndStream.ok(Map.of()));
    }

    @Override
    public void fail(ConnectException error) {
        end(EndStream.failed(error));
    }

    private void end(EndStream endStream) {
        boolean broke = false;
        synchronized (this) {
            if (ended || writeFailure != null) {
                return;
            }
            ended = true;
            try {
                writeFrame(endStream.toEnvelope().encode());
            } catch (IOException e) {
                writeFailure = e;
                broke = true;
            }
        }
        if (broke) {
            context.cancel(Code.CANCELED);
        } else if (closeOnEnd) {
            closeQuietly();
        }
    }

    private void writeFrame(byte[] frame) throws IOException {
        if (out == null) {
            Headers headers = exchange.getResponseHeaders();
            context.commitResponseHeaders(headers);
            headers.set("Content-Type", codec.streamContentType());
            exchange.sendResponseHeaders(200, 0); // 0: length unknown, chunked
            out = exchange.getResponseBody();
        }
        out.write(frame);
        out.flush();
    }

    /** Outside the lock: closing may wait on the socket, and senders must not queue behind it. */
    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException e) {
            log.debug("closing the stream of {} failed", context.procedure(), e);
        }
    }

    private String closedReason() {
        if (writeFailure != null) {
            return "the client of " + context.procedure() + " went away";
        }
        return context.isCancelled()
                ? "the stream of " + context.procedure() + " ended: "
                        + context.cancellationError().getMessage()
                : "the stream of " + context.procedure() + " has already ended";
    }
}
