package dev.wrenn.connect.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One Connect streaming frame: a flags byte, a big-endian uint32 payload length, then the payload. Streams carry
 * message envelopes and end with one end-stream envelope whose payload is JSON.
 */
public record Envelope(int flags, byte[] payload) {
    public static final int FLAG_COMPRESSED = 0x01;
    public static final int FLAG_END_STREAM = 0x02;
    public static final int PREFIX_BYTES = 5;

    public Envelope {
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("envelope flags must fit one byte, got " + flags);
        }
    }

    public static Envelope message(byte[] payload) {
        return new Envelope(0, payload);
    }

    public static Envelope endStream(byte[] payload) {
        return new Envelope(FLAG_END_STREAM, payload);
    }

    public boolean isEndStream() {
        return (flags & FLAG_END_STREAM) != 0;
    }

    public boolean isCompressed() {
        return (flags & FLAG_COMPRESSED) != 0;
    }

    /** The prefix followed by the payload, as sent on the wire. */
    public byte[] encode() {
        return ByteBuffer.allocate(PREFIX_BYTES + payload.length)
                .put((byte) flags)
                .putInt(payload.length)
                .put(payload)
                .array();
    }

    /** Writes the frame in one call so a flush after it sends whole frames. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(encode());
    }
}
