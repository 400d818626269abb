package dev.wrenn.connect.client;

import com.google.protobuf.Message;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Optional;

/**
 * The body of a client-streaming request: each message from the iterator becomes one envelope, produced only when
 * the HTTP client asks for more bytes. An exception from the iterator aborts the request and is kept so the caller
 * sees it instead of a generic I/O failure.
 */
final class RequestBodyStream extends InputStream {
    private final Iterator<? extends Message> messages;
    private final Codec codec;
    private byte[] current = new byte[0];
    private int position;
    private volatile RuntimeException failure;

    RequestBodyStream(Iterator<? extends Message> messages, Codec codec) {
        this.messages = messages;
        this.codec = codec;
    }

    /** What the iterator threw, if it did. */
    Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == current.length && !advance()) {
            return -1;
        }
        int count = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, count);
        position += count;
        return count;
    }

    /** Returns one read per envelope: the HTTP client sends what it has read, so each message goes out at once. */
    private boolean advance() throws IOException {
        try {
            if (!messages.hasNext()) {
                return false;
            }
            current = Envelope.message(codec.encode(messages.next())).encode();
            position = 0;
            return true;
        } catch (RuntimeException e) {
            failure = e;
            throw new IOException("the request message iterator failed: " + e, e);
        }
    }
}
