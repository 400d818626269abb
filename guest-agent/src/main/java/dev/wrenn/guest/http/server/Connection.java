package dev.wrenn.guest.http.server;

import com.sun.net.httpserver.Filter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served on its own (virtual) thread: read a request head, run the context's filters and
 * handler on the exchange, finish the response, drain what the handler left of the request body, and go on with the
 * next request (HTTP/1.1 keep-alive) until the client closes, asks to close, or a response could not be completed.
 */
final class Connection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /** Left-over request bytes read to keep a connection; more than this and closing it is cheaper. */
    private static final long DRAIN_BYTES = 64 * 1024;

    private final WrennHttpServer server;
    private final SocketChannel channel;
    private final SocketInput in;
    private final SocketOutput out;

    Connection(WrennHttpServer server, SocketChannel channel) {
        this.server = server;
        this.channel = channel;
        this.in = new SocketInput(channel);
        this.out = new SocketOutput(channel);
    }

    @Override
    public void run() {
        try {
            while (serveOne()) {
                // next request on the same connection
            }
        } catch (HttpProtocolException e) {
            reject(e.status(), e.getMessage());
        } catch (IOException e) {
            log.debug("connection from {} ended: {}", remoteAddress(), e.getMessage());
        } finally {
            close();
            server.ended(this);
        }
    }

    private boolean serveOne() throws IOException {
        RequestHead head = RequestHead.read(in);
        if (head == null) {
            return false;
        }
        RequestBody body = head.body(in);
        if (head.expectsContinue()) {
            out.write(Ascii.bytes(StatusLine.of(100) + "\r\n"));
            out.flush();
        }
        Context context = server.contextFor(head.uri().getPath());
        if (context == null) {
            reject(404, "no handler for " + head.uri().getPath());
            return false;
        }
        Exchange exchange = new Exchange(this, head, body, context, out);
        dispatch(exchange, context);
        exchange.close(); // a handler that returned without closing has answered all it will
        // Drained before a close too: closing a socket with request bytes still unread (a chunked body's last
        // chunk after the multipart end) makes the kernel reset the connection, which can destroy the response
        // the client has not read yet.
        boolean drained = body.drain(DRAIN_BYTES);
        return exchange.reusable() && drained;
    }

    private void dispatch(Exchange exchange, Context context) {
        try {
            new Filter.Chain(context.getFilters(), context.getHandler()).doFilter(exchange);
        } catch (IOException | RuntimeException e) {
            log.debug("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            if (!exchange.headersSent()) {
                answerInternalError(exchange, e);
            } else {
                exchange.closeConnectionAfter(); // part of a response went out: the client must see it end short
            }
        }
    }

    private static void answerInternalError(Exchange exchange, Exception e) {
        byte[] text = ("internal error: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
        exchange.closeConnectionAfter(); // the handler may have left its request half read
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(500, text.length);
            exchange.getResponseBody().write(text);
        } catch (IOException | RuntimeException failed) {
            log.debug("answering 500 for {}: {}", exchange.getRequestURI(), failed.getMessage());
        }
    }

    /** Answers a request that could not be parsed or routed, then the connection closes. */
    private void reject(int status, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        String head = StatusLine.of(status) + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + text.length + "\r\nConnection: close\r\n\r\n";
        try {
            out.write(Ascii.bytes(head));
            out.write(text);
            out.flush();
        } catch (IOException e) {
            log.debug("answering {} to {}: {}", status, remoteAddress(), e.getMessage());
        }
    }

    InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Closes the socket; a handler blocked on it fails with an I/O error and its exchange ends. */
    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing the connection from {}: {}", remoteAddress(), e.getMessage());
        }
    }
}
