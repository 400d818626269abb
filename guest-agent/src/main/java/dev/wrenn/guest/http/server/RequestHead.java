package dev.wrenn.guest.http.server;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A parsed request line and header block; {@link #read} answers null when the client closed between requests. */
record RequestHead(String method, URI uri, String protocol, Headers headers) {
    private static final int MAX_LINE_BYTES = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    static RequestHead read(SocketInput in) throws IOException {
        String requestLine;
        do {
            requestLine = in.readLine(MAX_LINE_BYTES);
            if (requestLine == null) {
                return null;
            }
        } while (requestLine.isEmpty()); // a stray CRLF between requests is allowed
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new HttpProtocolException(400, "malformed request line: " + abbreviated(requestLine));
        }
        return new RequestHead(parts[0], uri(parts[1]), parts[2], headers(in));
    }

    private static URI uri(String target) throws HttpProtocolException {
        try {
            return new URI(target);
        } catch (URISyntaxException e) {
            throw new HttpProtocolException(400, "malformed request target: " + e.getMessage());
        }
    }

    private static Headers headers(SocketInput in) throws IOException {
        Headers headers = new Headers();
        for (int count = 0; ; count++) {
            String line = in.readLine(MAX_LINE_BYTES);
            if (line == null) {
                throw new HttpProtocolException(400, "the connection closed inside the request headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || count >= MAX_HEADERS || Character.isWhitespace(line.charAt(0))) {
                throw new HttpProtocolException(400, "malformed or too many request headers at: " + abbreviated(line));
            }
            headers.add(
                    line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
    }

    boolean isHead() {
        return method.equals("HEAD");
    }

    /** HTTP/1.1 keeps a connection unless told to close; HTTP/1.0 closes unless told to keep it. */
    boolean keepAlive() {
        String connection = headers.getFirst("Connection");
        String value = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return protocol.equals("HTTP/1.0") ? value.contains("keep-alive") : !value.contains("close");
    }

    boolean expectsContinue() {
        String expect = headers.getFirst("Expect");
        return expect != null && expect.equalsIgnoreCase("100-continue");
    }

    /** The body as its headers frame it: chunked, a Content-Length, or empty. */
    RequestBody body(SocketInput in) throws HttpProtocolException {
        String coding = headers.getFirst("Transfer-Encoding");
        if (coding != null) {
            if (!coding.strip().equalsIgnoreCase("chunked")) {
                throw new HttpProtocolException(501, "unsupported Transfer-Encoding: " + coding);
            }
            return new ChunkedBody(in);
        }
        String length = headers.getFirst("Content-Length");
        if (length == null) {
            return new FixedLengthBody(in, 0);
        }
        try {
            long bytes = Long.parseLong(length.strip());
            if (bytes < 0) {
                throw new NumberFormatException();
            }
            return new FixedLengthBody(in, bytes);
        } catch (NumberFormatException e) {
            throw new HttpProtocolException(400, "malformed Content-Length: " + abbreviated(length));
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
