package dev.wrenn.guest.http.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * A connection's outgoing bytes: small writes (a response head, a JSON answer, a Connect envelope) gather in one
 * buffer and leave in one write(2) on {@link #flush}, so a head and its short body share a TCP segment; large writes go
 * straight to the socket; file ranges go by sendfile(2).
 */
final class SocketOutput {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);

    SocketOutput(SocketChannel channel) {
        this.channel = channel;
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.remaining()) {
            flush();
        }
        if (length >= buffer.capacity()) {
            writeFully(ByteBuffer.wrap(bytes, offset, length));
        } else {
            buffer.put(bytes, offset, length);
        }
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** {@code count} bytes of {@code file} from {@code position}, after what is buffered. */
    void transferFrom(FileChannel file, long position, long count) throws IOException {
        flush();
        for (long sent = 0; sent < count; ) {
            long n = file.transferTo(position + sent, count - sent, channel);
            if (n <= 0 && position + sent >= file.size()) {
                throw new IOException("the file ended " + (count - sent) + " bytes before the announced length");
            }
            sent += n;
        }
    }

    void flush() throws IOException {
        buffer.flip();
        try {
            writeFully(buffer);
        } finally {
            buffer.clear();
        }
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
