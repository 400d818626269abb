package dev.wrenn.guest.http.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The response body stream of one exchange, in the framing its {@code sendResponseHeaders} chose. Closing it ends the
 * response (the last chunk, or a check that a fixed length was met) and flushes the connection.
 */
public abstract sealed class ResponseBody extends OutputStream
        permits ResponseBody.FixedLength, ResponseBody.Chunked, ResponseBody.Empty {
    final SocketOutput out;
    private boolean closed;

    ResponseBody(SocketOutput out) {
        this.out = out;
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} by sendfile(2) where the framing allows (a fixed
     * length), else through the stream.
     */
    public void transferFrom(FileChannel file, long position, long count) throws IOException {
        byte[] chunk = new byte[(int) Math.min(count, 256 * 1024)];
        for (long done = 0; done < count; ) {
            int n = file.read(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, count - done)), position + done);
            if (n < 0) {
                throw new IOException("the file ended " + (count - done) + " bytes before the announced length");
            }
            write(chunk, 0, n);
            done += n;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() throws IOException {
        requireOpen();
        out.flush();
    }

    @Override
    public final void close() throws IOException {
        if (!closed) {
            closed = true;
            finish();
            out.flush();
        }
    }

    boolean closed() {
        return closed;
    }

    /** Whether the response was complete, so the connection can carry another one. */
    abstract boolean complete();

    abstract void finish() throws IOException;

    void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the response body is closed");
        }
    }

    /** {@code Content-Length} framing: exactly that many bytes. */
    static final class FixedLength extends ResponseBody {
        private long remaining;

        FixedLength(SocketOutput out, long length) {
            super(out);
            this.remaining = length;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            requireOpen();
            take(length);
            out.write(bytes, offset, length);
        }

        @Override
        public void transferFrom(FileChannel file, long position, long count) throws IOException {
            requireOpen();
            take(count);
            out.transferFrom(file, position, count);
        }

        private void take(long length) throws IOException {
            if (length > remaining) {
                throw new IOException("writing " + length + " bytes where the response has " + remaining + " left");
            }
            remaining -= length;
        }

        @Override
        boolean complete() {
            return remaining == 0;
        }

        @Override
        void finish() {}
    }

    /** {@code Transfer-Encoding: chunked}: one chunk per flush (a streamed message leaves at once), or per full buffer. */
    static final class Chunked extends ResponseBody {
        private static final int CHUNK_BYTES = 16 * 1024;
        private static final byte[] CRLF = {'\r', '\n'};
        private final byte[] chunk = new byte[CHUNK_BYTES];
        private int filled;

        Chunked(SocketOutput out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            requireOpen();
            if (length >= CHUNK_BYTES) {
                emit();
                emit(bytes, offset, length);
                return;
            }
            if (length > CHUNK_BYTES - filled) {
                emit();
            }
            System.arraycopy(bytes, offset, chunk, filled, length);
            filled += length;
        }

        @Override
        public void flush() throws IOException {
            requireOpen();
            emit();
            out.flush();
        }

        private void emit() throws IOException {
            if (filled > 0) {
                emit(chunk, 0, filled);
                filled = 0;
            }
        }

        private void emit(byte[] bytes, int offset, int length) throws IOException {
            out.write(Ascii.bytes(Integer.toHexString(length) + "\r\n"));
            out.write(bytes, offset, length);
            out.write(CRLF);
        }

        @Override
        boolean complete() {
            return true;
        }

        @Override
        void finish() throws IOException {
            emit();
            out.write(Ascii.bytes("0\r\n\r\n"));
        }
    }

    /** No body: a HEAD answer, 204, 304, or a length of -1. */
    static final class Empty extends ResponseBody {
        Empty(SocketOutput out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length > 0) {
                throw new IOException("this response has no body (status, HEAD, or sent with length -1)");
            }
        }

        @Override
        boolean complete() {
            return true;
        }

        @Override
        void finish() {}
    }
}
