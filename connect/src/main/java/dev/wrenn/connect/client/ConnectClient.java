package dev.wrenn.connect.client;

import com.google.protobuf.Message;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.Envelope;
import dev.wrenn.connect.codec.EnvelopeReader;
import dev.wrenn.connect.codec.ErrorBody;
import dev.wrenn.connect.codec.ProtocolHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A Connect-protocol client over the JDK HTTP client, always HTTP/1.1 (what the guest agent's server speaks). Calls
 * are synchronous; every failure surfaces as {@link ConnectException}, its code taken from the error body or
 * end-stream, else from the HTTP status.
 */
public final class ConnectClient {
    private final String baseUri;
    private final HttpClient http;
    private final Codec codec;
    private final Limits limits;
    private final int maxMessageBytes;

    /**
     * How much and how long a peer may take to answer, for peers that are not trusted (a guest agent).
     *
     * @param maxMessageBytes the largest unary response body or streamed message accepted
     * @param headerDeadlineOrNull how long response headers may take when a call has no deadline of its own (or a
     *     longer one, for streams); null waits as long as the call's deadline, or forever
     * @param streamIdleOrNull the longest a stream may send nothing (not even a keepalive) while we wait for it
     */
    public record Limits(int maxMessageBytes, Duration headerDeadlineOrNull, Duration streamIdleOrNull) {
        /** Trusts the peer's pace: only the message size is capped. */
        public static final Limits DEFAULT = new Limits(EnvelopeReader.DEFAULT_MAX_MESSAGE_BYTES, null, null);

        public Limits {
            if (maxMessageBytes <= 0) {
                throw new IllegalArgumentException("max message size must be positive, got " + maxMessageBytes);
            }
        }
    }

    public ConnectClient(URI baseUri, HttpClient http, Codec codec) {
        this(baseUri, http, codec, Limits.DEFAULT);
    }

    /** @param maxMessageBytes the largest response message accepted */
    public ConnectClient(URI baseUri, HttpClient http, Codec codec, int maxMessageBytes) {
        this(baseUri, http, codec, new Limits(maxMessageBytes, null, null));
    }

    public ConnectClient(URI baseUri, HttpClient http, Codec codec, Limits limits) {
        String base = baseUri.toString();
        this.baseUri = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = http;
        this.codec = codec;
        this.limits = limits;
        this.maxMessageBytes = limits.maxMessageBytes();
    }

    /**
     * Calls a unary method.
     *
     * @param path {@code /<service>/<method>}, e.g. {@code /filesystem.Filesystem/Stat}
     * @param timeoutOrNull sent as {@code Connect-Timeout-Ms} and enforced here too
     */
    public <O extends Message> O unary(
            String path, Message request, O responsePrototype, Map<String, String> headers, Duration timeoutOrNull) {
        HttpRequest httpRequest = request(path, codec.unaryContentType(), headers, timeoutOrNull, false)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(request)))
                .build();
        HttpResponse<InputStream> response = send(httpRequest, path);
        // The request's timeout ends once the headers arrive: the body gets a deadline of its own.
        Duration bodyDeadline = timeoutOrNull != null ? timeoutOrNull : limits.headerDeadlineOrNull();
        try (InputStream body = new GuardedInputStream(
                response.body(), "the response of " + path, maxMessageBytes, bodyDeadline, limits.streamIdleOrNull())) {
            byte[] bytes = readBounded(body, path);
            if (response.statusCode() != 200) {
                throw ErrorBody.decode(
                        bytes, response.statusCode(), response.headers().map());
            }
            expectContentType(response, codec.unaryContentType(), path);
            return decodeAnswer(codec, bytes, responsePrototype, path);
        } catch (IOException e) {
            throw transportFailure("reading the response of " + path, e);
        }
    }

    /**
     * Calls a server-streaming method. Returns once the response headers arrive; messages are read as the caller
     * iterates. Close the stream to abandon it early.
     */
    public <O extends Message> ServerStream<O> serverStream(
            String path, Message request, O responsePrototype, Map<String, String> headers, Duration timeoutOrNull) {
        byte[] body = Envelope.message(codec.encode(request)).encode();
        HttpRequest httpRequest = request(path, codec.streamContentType(), headers, timeoutOrNull, true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = send(httpRequest, path);
        checkStreamResponse(response, path);
        return new ServerStream<>(response, codec, responsePrototype, path, limits, timeoutOrNull);
    }

    /**
     * Calls a server-streaming method with limits of its own for this call: the response headers may take exactly
     * {@code callLimits}' header deadline (whatever the call's deadline; the peer applies that one to the work
     * itself, from when it reads the request), then the stream gets the call's deadline and the call's idle limit.
     * For a peer whose pace varies (a guest on a loaded host), the caller scales these per call.
     */
    public <O extends Message> ServerStream<O> serverStream(
            String path,
            Message request,
            O responsePrototype,
            Map<String, String> headers,
            Duration timeoutOrNull,
            Limits callLimits) {
        byte[] body = Envelope.message(codec.encode(request)).encode();
        HttpRequest.Builder builder = request(path, codec.streamContentType(), headers, timeoutOrNull, true);
        if (callLimits.headerDeadlineOrNull() != null) {
            builder.timeout(callLimits.headerDeadlineOrNull());
        }
        HttpResponse<InputStream> response =
                send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), path);
        checkStreamResponse(response, path);
        return new ServerStream<>(response, codec, responsePrototype, path, callLimits, timeoutOrNull);
    }

    /**
     * Calls a client-streaming method: {@code requests} are encoded and sent (chunked) as the HTTP client pulls them,
     * so an iterator may block until its next message exists. Returns the single response message.
     */
    public <O extends Message> O clientStream(
            String path,
            Iterator<? extends Message> requests,
            O responsePrototype,
            Map<String, String> headers,
            Duration timeoutOrNull) {
        RequestBodyPublisher body = new RequestBodyPublisher(requests, codec, path);
        HttpRequest httpRequest = request(path, codec.streamContentType(), headers, timeoutOrNull, false)
                .POST(HttpRequest.BodyPublishers.fromPublisher(body))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = send(httpRequest, path);
        } catch (ConnectException e) {
            throw body.failure().map(ConnectClient::rethrowable).orElse(e);
        }
        checkStreamResponse(response, path);
        try (ServerStream<O> stream =
                new ServerStream<>(response, codec, responsePrototype, path, limits, timeoutOrNull)) {
            return stream.single();
        }
    }

    /** @param streaming a streaming response starts at once, so its headers get the header deadline at most */
    private HttpRequest.Builder request(
            String path, String contentType, Map<String, String> headers, Duration timeout, boolean streaming) {
        String slashPath = path.startsWith("/") ? path : "/" + path;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + slashPath))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", contentType)
                .header(ProtocolHeaders.PROTOCOL_VERSION, ProtocolHeaders.SUPPORTED_PROTOCOL_VERSION);
        headers.forEach(builder::header);
        if (timeout != null) {
            builder.header(ProtocolHeaders.TIMEOUT_MS, ProtocolHeaders.formatTimeout(timeout));
        }
        headerWait(timeout, streaming).ifPresent(builder::timeout); // the JDK's timeout ends when headers arrive
        return builder;
    }

    private Optional<Duration> headerWait(Duration timeout, boolean streaming) {
        Duration headers = limits.headerDeadlineOrNull();
        if (timeout == null || (streaming && headers != null && headers.compareTo(timeout) < 0)) {
            return Optional.ofNullable(headers);
        }
        return Optional.of(timeout);
    }

    private HttpResponse<InputStream> send(HttpRequest request, String path) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ConnectException(
                    Code.DEADLINE_EXCEEDED,
                    "deadline of " + path + " exceeded: no response headers within "
                            + request.timeout().map(Duration::toString).orElse("the deadline"),
                    e);
        } catch (IOException e) {
            throw transportFailure("calling " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException(Code.CANCELED, "call to " + path + " interrupted", e);
        }
    }

    /** A stream answered with a non-200 status carries no envelopes, only an error (maybe with a JSON body). */
    private void checkStreamResponse(HttpResponse<InputStream> response, String path) {
        if (response.statusCode() == 200) {
            expectContentType(response, codec.streamContentType(), path);
            return;
        }
        Duration deadline = limits.headerDeadlineOrNull();
        try (InputStream body = new GuardedInputStream(
                response.body(), "the error response of " + path, maxMessageBytes, deadline, null)) {
            throw ErrorBody.decode(
                    readBounded(body, path),
                    response.statusCode(),
                    response.headers().map());
        } catch (IOException e) {
            throw transportFailure("reading the error response of " + path, e);
        }
    }

    private void expectContentType(HttpResponse<InputStream> response, String expected, String path) {
        String actual = response.headers().firstValue("Content-Type").orElse("");
        if (!Codec.mediaType(actual).equals(expected)) {
            closeQuietly(response.body());
            String message = "response of " + path + " has content type '" + actual + "', expected " + expected;
            throw new ConnectException(Code.INTERNAL, message, new ProtocolException(message));
        }
    }

    /**
     * A message the peer sent: one that does not parse is the peer's fault (internal), not the caller's invalid
     * argument, as the codec reports it for requests. The cause stays the parser's exception.
     */
    static <O extends Message> O decodeAnswer(Codec codec, byte[] bytes, O prototype, String path) {
        try {
            return codec.decode(bytes, prototype);
        } catch (ConnectException e) {
            throw new ConnectException(
                    Code.INTERNAL, "malformed response from " + path + ": " + e.getMessage(), e.getCause());
        }
    }

    private byte[] readBounded(InputStream body, String path) throws IOException {
        byte[] bytes;
        try {
            bytes = body.readNBytes(maxMessageBytes + 1);
        } catch (ReadLimitException e) {
            throw new ConnectException(e.code(), e.getMessage(), e);
        }
        if (bytes.length > maxMessageBytes) {
            throw new ConnectException(
                    Code.RESOURCE_EXHAUSTED,
                    "response of " + path + " exceeds the maximum message size of " + maxMessageBytes + " bytes");
        }
        return bytes;
    }

    private static ConnectException transportFailure(String operation, IOException e) {
        return new ConnectException(Code.UNAVAILABLE, operation + " failed: " + e, e);
    }

    /** The request iterator's own exception, unchanged when unchecked, so callers see what their iterator threw. */
    private static RuntimeException rethrowable(Throwable failure) {
        return switch (failure) {
            case RuntimeException e -> e;
            case Error e -> throw e;
            default -> new ConnectException(Code.INTERNAL, "the request messages failed: " + failure, failure);
        };
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Abandoning the response anyway.
        }
    }
}
