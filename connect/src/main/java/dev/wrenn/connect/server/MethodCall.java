package dev.wrenn.connect.server;

import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.ConnectService;
import dev.wrenn.connect.Handlers;
import dev.wrenn.connect.StreamSink.StreamClosedException;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.EnvelopeReader;
import dev.wrenn.connect.codec.ProtocolHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One routed call: checks the protocol headers, reads the request, runs the handler and answers. */
final class MethodCall {
    private static final Logger log = LoggerFactory.getLogger(MethodCall.class);

    private final HttpExchange exchange;
    private final ConnectService.Method method;
    private final Codec codec;
    private final int maxMessageBytes;
    private final ServerCallContext context;
    private final Responder responder;

    MethodCall(HttpExchange exchange, String service, ConnectService.Method method, Codec codec, int maxBytes) {
        this.exchange = exchange;
        this.method = method;
        this.codec = codec;
        this.maxMessageBytes = maxBytes;
        this.context = new ServerCallContext(service + "/" + method.name(), lowerCased(exchange));
        this.responder = switch (method.kind()) {
            case UNARY -> new UnaryResponse(exchange, codec, context);
            case SERVER_STREAMING -> new StreamResponse(exchange, codec, context, true);
            case CLIENT_STREAMING -> new StreamResponse(exchange, codec, context, false);
        };
    }

    void run() {
        try {
            Optional<Duration> timeout = checkProtocolHeaders();
            timeout.ifPresent(t -> context.setDeadline(Instant.now().plus(t)));
            try (DeadlineWatch ignored = timeout.map(this::watchDeadline).orElse(null)) {
                responder.complete(invokeHandler());
            }
        } catch (ConnectException e) {
            responder.fail(e);
        } catch (StreamClosedException e) {
            log.debug("{} ended after its stream closed: {}", context.procedure(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("handler of {} failed", context.procedure(), e);
            String message =
                    e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            responder.fail(ConnectException.internal(context.procedure() + " failed: " + message, e));
        }
    }

    private Optional<Duration> checkProtocolHeaders() {
        ProtocolHeaders.checkProtocolVersion(context.header(ProtocolHeaders.PROTOCOL_VERSION));
        String encodingHeader = method.kind() == ConnectService.Kind.UNARY
                ? ProtocolHeaders.CONTENT_ENCODING
                : ProtocolHeaders.STREAM_CONTENT_ENCODING;
        ProtocolHeaders.checkIdentityEncoding(encodingHeader, context.header(encodingHeader));
        return context.header(ProtocolHeaders.TIMEOUT_MS).map(ProtocolHeaders::parseTimeout);
    }

    private DeadlineWatch watchDeadline(Duration timeout) {
        return DeadlineWatch.start(timeout, () -> {
            responder.fail(new ConnectException(Code.DEADLINE_EXCEEDED, ConnectException.DEADLINE_MESSAGE));
            context.cancel(Code.DEADLINE_EXCEEDED);
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Message invokeHandler() {
        InputStream body = exchange.getRequestBody();
        return switch (method.handler()) {
            case Handlers.Unary unary -> requireResponse(unary.handle(readUnaryRequest(body), context));
            case Handlers.ServerStreaming streaming -> {
                streaming.handle(readSingleEnvelope(body), context, (StreamResponse) responder);
                yield null;
            }
            case Handlers.ClientStreaming streaming -> {
                var requests = new RequestMessages<>(
                        new EnvelopeReader(body, maxMessageBytes), codec, method.requestPrototype(), context);
                yield requireResponse(streaming.handle(requests, context));
            }
            default -> throw new IllegalStateException("method " + context.procedure() + " has no handler of its kind");
        };
    }

    private Message requireResponse(Object response) {
        if (response == null) {
            throw new IllegalStateException("handler returned no response message");
        }
        return (Message) response;
    }

    private Message readUnaryRequest(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(maxMessageBytes + 1);
            if (bytes.length > maxMessageBytes) {
                throw new ConnectException(
                        Code.RESOURCE_EXHAUSTED,
                        "request to " + context.procedure() + " exceeds the maximum message size of " + maxMessageBytes
                                + " bytes");
            }
            return codec.decode(bytes, method.requestPrototype());
        } catch (IOException e) {
            throw requestReadFailed(e);
        }
    }

    private Message readSingleEnvelope(InputStream body) {
        try {
            var envelope = new EnvelopeReader(body, maxMessageBytes)
                    .next()
                    .orElseThrow(() -> ConnectException.invalidArgument(
                            "request to " + context.procedure() + " holds no message envelope"));
            byte[] payload = RequestMessages.checkRequestEnvelope(envelope, context.procedure());
            if (body.read() != -1) {
                throw ConnectException.invalidArgument("request to server-streaming " + context.procedure()
                        + " must hold exactly one message envelope, found more data after the first");
            }
            return codec.decode(payload, method.requestPrototype());
        } catch (IOException e) {
            throw requestReadFailed(e);
        }
    }

    private ConnectException requestReadFailed(IOException e) {
        context.cancel(Code.CANCELED);
        return new ConnectException(
                Code.CANCELED, "reading the request to " + context.procedure() + " failed: " + e.getMessage(), e);
    }

    private static Map<String, List<String>> lowerCased(HttpExchange exchange) {
        return exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(
                        e -> e.getKey().toLowerCase(Locale.ROOT), e -> List.copyOf(e.getValue()), (a, b) -> a));
    }
}
