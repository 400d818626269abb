package dev.wrenn.guest.http.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * A connection's incoming bytes: request heads are parsed out of one direct buffer, and bodies are read from what is
 * left in it and then straight from the socket, into the caller's array or buffer, as many bytes per read(2) as the
 * caller asks for. (The JDK's HTTP server reads bodies 8 KiB per call through two copies, which capped uploads.)
 */
final class SocketInput {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Reads at least this large go straight into the caller's array, not through the buffer. */
    private static final int DIRECT_READ_BYTES = 8 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).flip();
    private boolean quickAck = true;

    SocketInput(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * One CRLF- (or LF-) terminated line without its terminator, as ISO-8859-1; null at end of stream before its first
     * byte.
     */
    String readLine(int maxBytes) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!buffer.hasRemaining() && !fill()) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new EOFException("the connection closed in the middle of a line");
            }
            byte b = buffer.get();
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= maxBytes) {
                throw new HttpProtocolException(431, "a request line or header is longer than " + maxBytes + " bytes");
            }
            line.append((char) (b & 0xff));
        }
    }

    /** Up to {@code length} bytes into {@code bytes}; -1 at end of stream. */
    int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (buffer.hasRemaining()) {
            int n = Math.min(length, buffer.remaining());
            buffer.get(bytes, offset, n);
            return n;
        }
        if (length >= DIRECT_READ_BYTES) {
            quickAck();
            return channel.read(ByteBuffer.wrap(bytes, offset, length));
        }
        if (!fill()) {
            return -1;
        }
        return read(bytes, offset, length);
    }

    /** Up to {@code limit} bytes into {@code target} (bounded by its remaining space too); -1 at end of stream. */
    int read(ByteBuffer target, long limit) throws IOException {
        int want = (int) Math.min(target.remaining(), limit);
        if (want == 0) {
            return 0;
        }
        if (buffer.hasRemaining()) {
            int n = Math.min(want, buffer.remaining());
            target.put(target.position(), buffer, buffer.position(), n);
            target.position(target.position() + n);
            buffer.position(buffer.position() + n);
            return n;
        }
        int savedLimit = target.limit();
        target.limit(target.position() + want);
        quickAck();
        try {
            return channel.read(target);
        } finally {
            target.limit(savedLimit);
        }
    }

    /**
     * Before each read of body data: acknowledge at once. A connection that has just answered a request (or sent a
     * download) is in TCP's interactive mode, where the receiver delays its ACKs, and a sender whose window is still
     * opening waits for them: a 1 MiB upload right after a download took 0.9 ms instead of 0.5. The option lasts
     * only until the kernel's next delayed-ACK decision, hence every read.
     */
    private void quickAck() throws IOException {
        if (quickAck) {
            try {
                channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            } catch (UnsupportedOperationException e) {
                quickAck = false; // not Linux: reads work the same, ACKs as the kernel decides
            }
        }
    }

    /** Bytes already received and not yet consumed. */
    int buffered() {
        return buffer.remaining();
    }

    private boolean fill() throws IOException {
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } finally {
            buffer.flip();
        }
        return n > 0;
    }
}
