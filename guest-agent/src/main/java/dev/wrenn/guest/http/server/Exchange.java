package dev.wrenn.guest.http.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request and its response on a {@link Connection}, with the JDK server's framing rules for
 * {@code sendResponseHeaders(status, length)}: a positive length is a {@code Content-Length}, 0 is chunked, -1 is no
 * body; HEAD, 1xx, 204 and 304 answers never carry one.
 */
final class Exchange extends HttpExchange {
    private final Connection connection;
    private final RequestHead head;
    private final Context context;
    private final SocketOutput out;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream requestStream;
    private OutputStream responseStream = new PendingResponse();
    private ResponseBody responseBody;
    private int responseCode = -1;
    private boolean closeConnection;
    private boolean closed;

    Exchange(Connection connection, RequestHead head, RequestBody body, Context context, SocketOutput out) {
        this.connection = connection;
        this.head = head;
        this.context = context;
        this.out = out;
        this.requestStream = body;
        this.closeConnection = !head.keepAlive();
    }

    @Override
    public Headers getRequestHeaders() {
        return head.headers();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return head.uri();
    }

    @Override
    public String getRequestMethod() {
        return head.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public InputStream getRequestBody() {
        return requestStream;
    }

    @Override
    public OutputStream getResponseBody() {
        return responseStream;
    }

    @Override
    public void sendResponseHeaders(int status, long length) throws IOException {
        if (responseCode != -1) {
            throw new IOException("the response headers were already sent (status " + responseCode + ")");
        }
        if (status < 200 || status > 999) {
            throw new IllegalArgumentException("unsupported response status " + status);
        }
        responseCode = status;
        responseBody = frame(status, length);
        if ("close".equalsIgnoreCase(responseHeaders.getFirst("Connection"))) {
            closeConnection = true;
        } else if (closeConnection) {
            responseHeaders.set("Connection", "close");
        }
        writeHead(status);
    }

    private ResponseBody frame(int status, long length) {
        boolean bodiless = status == 204 || status == 304;
        if (bodiless || head.isHead()) {
            if (!bodiless && length > 0 && !responseHeaders.containsKey("Content-length")) {
                responseHeaders.set("Content-length", Long.toString(length));
            }
            return new ResponseBody.Empty(out);
        }
        if (length == 0) {
            if (head.protocol().equals("HTTP/1.0")) {
                closeConnection = true; // no chunked coding in HTTP/1.0: the body ends with the connection
                return new ResponseBody.FixedLength(out, Long.MAX_VALUE);
            }
            responseHeaders.set("Transfer-encoding", "chunked");
            return new ResponseBody.Chunked(out);
        }
        long declared = Math.max(length, 0);
        responseHeaders.set("Content-length", Long.toString(declared));
        return declared == 0 ? new ResponseBody.Empty(out) : new ResponseBody.FixedLength(out, declared);
    }

    private void writeHead(int status) throws IOException {
        StringBuilder text = new StringBuilder(256).append(StatusLine.of(status));
        text.append("Date: ")
                .append(HttpDate.format(System.currentTimeMillis() / 1000))
                .append("\r\n");
        for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
            for (String value : header.getValue()) {
                text.append(header.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        out.write(Ascii.bytes(text.append("\r\n").toString()));
    }

    /** Ends the exchange: the response is finished and flushed; one never answered closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (responseBody == null) {
                closeConnection = true;
            } else {
                responseStream.close(); // a handler's wrapper stream, if it set one, flushes into the body
                responseBody.close();
            }
        } catch (IOException e) {
            closeConnection = true;
        }
    }

    boolean headersSent() {
        return responseCode != -1;
    }

    /** Whether the connection can carry another request once this one's body is drained. */
    boolean reusable() {
        return closed && !closeConnection && responseBody != null && responseBody.complete();
    }

    void closeConnectionAfter() {
        closeConnection = true;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public int getResponseCode() {
        return responseCode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return connection.localAddress();
    }

    @Override
    public String getProtocol() {
        return head.protocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        if (in != null) {
            requestStream = in;
        }
        if (out != null) {
            responseStream = out;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** The response stream before and after {@link #sendResponseHeaders}: writes need the headers sent first. */
    private final class PendingResponse extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            body().write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            body().write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (responseBody != null) {
                responseBody.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (responseBody != null) {
                responseBody.close();
            }
        }

        private ResponseBody body() throws IOException {
            if (responseBody == null) {
                throw new IOException("the response body is written before sendResponseHeaders");
            }
            return responseBody;
        }
    }

    /** The framed body, when the handler has not replaced the response stream with a wrapper of its own. */
    ResponseBody unwrappedResponseBody() {
        return responseStream instanceof PendingResponse ? responseBody : null;
    }
}
