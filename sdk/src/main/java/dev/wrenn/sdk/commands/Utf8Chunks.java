package dev.wrenn.sdk.commands;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a byte stream that arrives in chunks as UTF-8 text, carrying a character split across two chunks over to
 * the next one (output is cut at arbitrary byte boundaries). Malformed bytes become U+FFFD.
 */
final class Utf8Chunks {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending;

    String decode(ByteBuffer chunk) {
        ByteBuffer in = chunk;
        if (pending != null) {
            ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + chunk.remaining());
            joined.put(pending).put(chunk).flip();
            in = joined;
            pending = null;
        }
        CharBuffer out = CharBuffer.allocate(in.remaining() + 4);
        decoder.decode(in, out, false);
        if (in.hasRemaining()) {
            pending = ByteBuffer.allocate(in.remaining());
            pending.put(in).flip();
        }
        out.flip();
        return out.toString();
    }
}
