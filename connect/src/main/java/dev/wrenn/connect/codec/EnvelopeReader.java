package dev.wrenn.connect.codec;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads envelopes one at a time from a stream, so a long-lived stream is consumed as it arrives. Refuses payloads
 * above a size limit before allocating them: a peer must not make us buffer arbitrary amounts.
 */
public final class EnvelopeReader {
    /** 16 MiB: large enough for any envd message (file contents travel over plain HTTP, not Connect). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final InputStream in;
    private final int maxMessageBytes;

    public EnvelopeReader(InputStream in, int maxMessageBytes) {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("max message size must be positive, got " + maxMessageBytes);
        }
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
    }

    public EnvelopeReader(InputStream in) {
        this(in, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * The next envelope, or empty when the stream ends cleanly between envelopes.
     *
     * @throws ConnectException {@code invalid_argument} when the stream ends inside an envelope,
     *     {@code resource_exhausted} when a payload is larger than the limit
     * @throws IOException when reading the underlying stream fails
     */
    public Optional<Envelope> next() throws IOException {
        byte[] prefix = new byte[Envelope.PREFIX_BYTES];
        int prefixRead = in.readNBytes(prefix, 0, prefix.length);
        if (prefixRead == 0) {
            return Optional.empty();
        }
        if (prefixRead < prefix.length) {
            throw truncated("the 5-byte envelope prefix", prefix.length, prefixRead);
        }
        long length = ((prefix[1] & 0xFFL) << 24)
                | ((prefix[2] & 0xFF) << 16)
                | ((prefix[3] & 0xFF) << 8)
                | (prefix[4] & 0xFF);
        if (length > maxMessageBytes) {
            throw new ConnectException(
                    Code.RESOURCE_EXHAUSTED,
                    "envelope of " + length + " bytes exceeds the maximum message size of " + maxMessageBytes
                            + " bytes");
        }
        // Not readNBytes(int): it ends with a zero-length read, which the JDK server's chunked request stream
        // answers by blocking for the next chunk, holding back a message that has fully arrived.
        byte[] payload = new byte[(int) length];
        int payloadRead = in.readNBytes(payload, 0, payload.length);
        if (payloadRead < length) {
            throw truncated("an envelope payload", length, payloadRead);
        }
        return Optional.of(new Envelope(prefix[0] & 0xFF, payload));
    }

    private static ConnectException truncated(String what, long expected, int got) {
        return ConnectException.invalidArgument("truncated envelope: stream ended inside " + what + " (expected "
                + expected + " bytes, got " + got + ")");
    }
}
