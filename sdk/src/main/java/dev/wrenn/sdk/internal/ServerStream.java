package dev.wrenn.sdk.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.wrenn.sdk.SandboxException;
import dev.wrenn.sdk.TimeoutException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The messages of one server-streaming Connect call, read one at a time ({@link #next()} blocks). The stream ends
 * with Connect's end-stream envelope; its error becomes the exception family. A deadline closes the connection, and
 * the read that was waiting fails with a {@link TimeoutException}. Not part of the public API.
 */
public final class ServerStream<T extends MessageLite> implements AutoCloseable {
    private final DataInputStream in;
    private final Parser<T> parser;
    private final String what;
    private final ScheduledFuture<?> deadline;
    private volatile boolean timedOut;
    private volatile boolean closed;
    private boolean ended;

    ServerStream(InputStream in, Parser<T> parser, Duration timeout, String what) {
        this.in = new DataInputStream(in);
        this.parser = parser;
        this.what = what;
        this.deadline = timeout == null
                ? null
                : Transport.DEADLINES.schedule(
                        () -> {
                            timedOut = true;
                            closeQuietly();
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** The next message, or null once the stream ended without error. */
    public T next() {
        if (ended) {
            return null;
        }
        try {
            int flags;
            try {
                flags = in.readUnsignedByte();
            } catch (EOFException e) {
                ended = true;
                if (timedOut) {
                    throw new TimeoutException(what + ": the deadline passed", 0, e);
                }
                if (closed) {
                    return null;
                }
                throw new SandboxException(what + ": the stream ended without Connect's end message", 0, e);
            }
            int length = in.readInt();
            if (length < 0 || length > Envd.MAX_MESSAGE) {
                throw new SandboxException(what + ": a stream message of " + length + " bytes is out of bounds");
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            if ((flags & 0x02) != 0) {
                ended = true;
                finish();
                endStream(new String(payload, StandardCharsets.UTF_8));
                return null;
            }
            if ((flags & 0x01) != 0) {
                throw new SandboxException(what + ": a compressed stream message, which was not asked for");
            }
            return parser.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new SandboxException(what + ": malformed stream message (" + e.getMessage() + ")", 0, e);
        } catch (IOException e) {
            ended = true;
            if (timedOut) {
                throw new TimeoutException(what + ": the deadline passed", 0, e);
            }
            if (closed) {
                return null;
            }
            throw Transport.failure(e, what);
        }
    }

    private void endStream(String json) {
        Map<String, Object> end;
        try {
            end = json.isBlank() ? Map.of() : Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new SandboxException(what + ": malformed end of stream");
        }
        Object error = end.get("error");
        if (error instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) error;
            String code = Json.string(e, "code");
            if ("deadline_exceeded".equals(code)) {
                throw new TimeoutException(what + ": " + Json.string(e, "message"), 0, null);
            }
            throw Errors.fromConnect(code, Json.string(e, "message"), what);
        }
    }

    /** Whether the local deadline ended the stream. */
    public boolean timedOut() {
        return timedOut;
    }

    private void finish() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing is how a stream is abandoned; nothing to report.
        }
    }

    /** Stops reading and closes the connection; a blocked {@link #next()} returns null. */
    @Override
    public void close() {
        closed = true;
        finish();
        closeQuietly();
    }
}
