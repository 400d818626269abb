package dev.wrenn.connect.server;

import com.google.protobuf.Message;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.ErrorBody;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A unary answer: 200 with the encoded message, or the error's HTTP status with a JSON error body. */
final class UnaryResponse implements Responder {
    private static final Logger log = LoggerFactory.getLogger(UnaryResponse.class);
    static final String JSON = "application/json";

    private final HttpExchange exchange;
    private final Codec codec;
    private final ServerCallContext context;
    private boolean answered;

    UnaryResponse(HttpExchange exchange, Codec codec, ServerCallContext context) {
        this.exchange = exchange;
        this.codec = codec;
        this.context = context;
    }

    @Override
    public void complete(Message message) {
        if (claim()) {
            write(200, codec.unaryContentType(), codec.encode(message), Map.of());
        }
    }

    @Override
    public void fail(ConnectException error) {
        if (claim()) {
            write(error.code().httpStatus(), JSON, ErrorBody.encode(error), error.metadata());
        }
    }

    private synchronized boolean claim() {
        boolean first = !answered;
        answered = true;
        return first;
    }

    private void write(int status, String contentType, byte[] body, Map<String, List<String>> metadata) {
        Headers headers = exchange.getResponseHeaders();
        context.commitResponseHeaders(headers);
        metadata.forEach(headers::put);
        try {
            send(exchange, status, contentType, body);
        } catch (IOException e) {
            log.debug("answering {} failed; the client went away", context.procedure(), e);
            context.cancel(Code.CANCELED);
        }
    }

    /** Answers a request rejected before any handler ran (unknown method, wrong HTTP method or content type). */
    static void reject(HttpExchange exchange, int status, ConnectException error) {
        try {
            send(exchange, status, JSON, ErrorBody.encode(error));
        } catch (IOException e) {
            log.debug("rejecting {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        // -1 tells the JDK server there is no body at all (an empty binary message encodes to zero bytes).
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
