package dev.wrenn.guest.http.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A {@code Transfer-Encoding: chunked} body (a streaming request: Connect client streams, SDK uploads of unknown size). */
final class ChunkedBody extends RequestBody {
    private static final int MAX_LINE = 4096;

    private final SocketInput in;
    private long chunkLeft;
    private boolean ended;

    ChunkedBody(SocketInput in) {
        this.in = in;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (!nextData()) {
            return -1;
        }
        return counted(in.read(bytes, offset, (int) Math.min(length, chunkLeft)));
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        if (!nextData()) {
            return -1;
        }
        return counted(in.read(target, chunkLeft));
    }

    private int counted(int n) throws IOException {
        if (n < 0) {
            throw new EOFException("the connection closed inside a chunk of the request body");
        }
        chunkLeft -= n;
        if (chunkLeft == 0) {
            expectEmptyLine("after a chunk");
        }
        return n;
    }

    /** Positions at data to read; false once the last chunk and the trailers are consumed. */
    private boolean nextData() throws IOException {
        if (ended) {
            return false;
        }
        if (chunkLeft > 0) {
            return true;
        }
        chunkLeft = chunkSize(line("a chunk size"));
        if (chunkLeft == 0) {
            skipTrailers();
            ended = true;
            return false;
        }
        return true;
    }

    private static long chunkSize(String line) throws HttpProtocolException {
        int end = line.indexOf(';');
        String hex = (end < 0 ? line : line.substring(0, end)).strip();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new HttpProtocolException(400, "malformed chunk size '" + hex + "' in the request body");
        }
    }

    private void skipTrailers() throws IOException {
        while (!line("a trailer").isEmpty()) {
            // Trailers carry nothing this agent uses.
        }
    }

    private void expectEmptyLine(String where) throws IOException {
        if (!line("the end of a chunk").isEmpty()) {
            throw new HttpProtocolException(400, "malformed chunked request body: no CRLF " + where);
        }
    }

    private String line(String what) throws IOException {
        String line = in.readLine(MAX_LINE);
        if (line == null) {
            throw new EOFException("the connection closed before " + what + " of the request body");
        }
        return line;
    }

    @Override
    public int available() {
        return ended ? 0 : (int) Math.min(chunkLeft, in.buffered());
    }

    @Override
    public boolean shorterThan(long bytes) {
        return false;
    }

    @Override
    boolean finished() {
        return ended;
    }
}
