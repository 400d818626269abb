package dev.wrenn.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A lean HTTP/1.1 client on one kept-alive loopback connection, for the /files rows only. java.net.http moves bodies
 * through 16 KiB buffers and a reactive pipeline that costs more CPU per byte than the agent's server does, so on a
 * 2-core machine it measured the client, not the agent. This one sends upload bodies with sendfile (FileChannel to
 * socket) and reads download bodies into one 1 MiB direct buffer that is then discarded, so nearly all of the CPU
 * left is the agent's. It needs Content-Length on every response (the agent sends it for JSON answers and for
 * uncompressed downloads) and does not follow redirects or speak chunked coding.
 */
final class LoopbackHttpClient implements AutoCloseable {
    private static final int BUFFER = 1 << 20;
    private static final int MAX_HEAD = 16 * 1024;

    /** The status line's code, the headers (names lower-cased) and, for small bodies, the text. */
    record Response(int status, Map<String, String> headers, long bodyBytes, String text) {}

    private final URI base;
    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER);
    private SocketChannel channel;

    LoopbackHttpClient(URI base) {
        this.base = base;
    }

    /** POSTs {@code size} bytes of {@code body} (from its start) with the given Content-Type. */
    Response post(String pathAndQuery, String contentType, FileChannel body, long size) throws IOException {
        SocketChannel socket = connection();
        writeHead(socket, "POST", pathAndQuery, "Content-Type: " + contentType + "\r\nContent-Length: " + size);
        for (long sent = 0; sent < size; ) {
            sent += body.transferTo(sent, size - sent, socket);
        }
        return readResponse(socket, true);
    }

    /**
     * POSTs {@code size} bytes of {@code body} as the one file part of a multipart/form-data body, the form the E2B
     * SDK uploads in: the part's head and the closing boundary are written around the file's bytes.
     */
    Response postMultipart(String pathAndQuery, String fileName, FileChannel body, long size) throws IOException {
        String boundary = "wrenn-bench-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        SocketChannel socket = connection();
        writeHead(
                socket,
                "POST",
                pathAndQuery,
                "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                        + (head.length + size + tail.length));
        writeFully(socket, ByteBuffer.wrap(head));
        for (long sent = 0; sent < size; ) {
            sent += body.transferTo(sent, size - sent, socket);
        }
        writeFully(socket, ByteBuffer.wrap(tail));
        return readResponse(socket, true);
    }

    private static void writeFully(SocketChannel socket, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            socket.write(bytes);
        }
    }

    /** GETs a resource and reads its whole body, keeping only its length. */
    Response get(String pathAndQuery) throws IOException {
        SocketChannel socket = connection();
        writeHead(socket, "GET", pathAndQuery, null);
        return readResponse(socket, false);
    }

    private SocketChannel connection() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort()));
            // Head and body go out in separate writes: without this, Nagle holds a small body back for the ACK of
            // the head, which the agent delays (40 ms a request). java.net.http sets it too.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            in.clear().flip();
        }
        return channel;
    }

    private void writeHead(SocketChannel socket, String method, String target, String extraHeaders) throws IOException {
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + (extraHeaders == null ? "" : extraHeaders + "\r\n") + "\r\n";
        ByteBuffer bytes = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            socket.write(bytes);
        }
    }

    private Response readResponse(SocketChannel socket, boolean keepText) throws IOException {
        String head = readHead(socket);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        if (length == null) {
            throw new IOException("response to " + lines[0] + " has no Content-Length; this client needs one");
        }
        long bodyBytes = Long.parseLong(length);
        String text = keepText || status != 200 ? readText(socket, bodyBytes) : discard(socket, bodyBytes);
        if ("close".equalsIgnoreCase(headers.get("connection"))) {
            close();
        }
        return new Response(status, headers, bodyBytes, text);
    }

    private String readHead(SocketChannel socket) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < MAX_HEAD) {
            if (!in.hasRemaining()) {
                fill(socket);
            }
            head.append((char) (in.get() & 0xff));
            int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.substring(n - 4).equals("\r\n\r\n")) {
                return head.substring(0, n - 4);
            }
        }
        throw new IOException("response head longer than " + MAX_HEAD + " bytes");
    }

    private String readText(SocketChannel socket, long bytes) throws IOException {
        byte[] text = new byte[Math.toIntExact(bytes)];
        for (int done = 0; done < text.length; ) {
            if (!in.hasRemaining()) {
                fill(socket);
            }
            int n = Math.min(in.remaining(), text.length - done);
            in.get(text, done, n);
            done += n;
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    private String discard(SocketChannel socket, long bytes) throws IOException {
        for (long left = bytes; left > 0; ) {
            if (!in.hasRemaining()) {
                fill(socket);
            }
            int n = (int) Math.min(in.remaining(), left);
            in.position(in.position() + n);
            left -= n;
        }
        return "";
    }

    private void fill(SocketChannel socket) throws IOException {
        in.clear();
        if (socket.read(in) < 0) {
            throw new EOFException("the agent closed the connection mid-response");
        }
        in.flip();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
