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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * A Connect-protocol client over the JDK HTTP client, always HTTP/1.1 (what the guest agent's server speaks). Calls
 * are synchronous; every failure surfaces as {@link ConnectException}, its code taken from the error body or
 * end-stream, else from the HTTP status.
 */
public final class ConnectClient {
    private final String baseUri;
    private final HttpClient http;
    private final Codec codec;
    private final int maxMessageBytes;

    public ConnectClient(URI baseUri, HttpClient http, Codec codec) {
        this(baseUri, http, codec, EnvelopeReader.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** @param maxMessageBytes the largest response message accepted */
    public ConnectClient(URI baseUri, HttpClient http, Codec codec, int maxMessageBytes) {
        String base = baseUri.toString();
        this.baseUri = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = http;
        this.codec = codec;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Calls a unary method.
     *
     * @param path {@code /<service>/<method>}, e.g. {@code /filesystem.Filesystem/Stat}
     * @param timeoutOrNull sent as {@code Connect-Timeout-Ms} and enforced here too
     */
    public <O extends Message> O unary(
            String path, Message request, O responsePrototype, Map<String, String> headers, Duration timeoutOrNull) {
        HttpRequest httpRequest = request(path, codec.unaryContentType(), headers, timeoutOrNull)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(request)))
                .build();
        HttpResponse<InputStream> response = send(httpRequest, path);
        try (InputStream body = response.body()) {
            byte[] bytes = readBounded(body, path);
            if (response.statusCode() != 200) {
                throw ErrorBody.decode(
                        bytes, response.statusCode(), response.headers().map());
            }
            expectContentType(response, codec.unaryContentType(), path);
            return codec.decode(bytes, responsePrototype);
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
        HttpRequest httpRequest = request(path, codec.streamContentType(), headers, timeoutOrNull)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = send(httpRequest, path);
        checkStreamResponse(response, path);
        return new ServerStream<>(response, codec, responsePrototype, path, maxMessageBytes, timeoutOrNull);
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
        HttpRequest httpRequest = request(path, codec.streamContentType(), headers, timeoutOrNull)
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
                new ServerStream<>(response, codec, responsePrototype, path, maxMessageBytes, timeoutOrNull)) {
            return stream.single();
        }
    }

    private HttpRequest.Builder request(
            String path, String contentType, Map<String, String> headers, Duration timeout) {
        String slashPath = path.startsWith("/") ? path : "/" + path;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + slashPath))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", contentType)
                .header(ProtocolHeaders.PROTOCOL_VERSION, ProtocolHeaders.SUPPORTED_PROTOCOL_VERSION);
        headers.forEach(builder::header);
        if (timeout != null) {
            builder.header(ProtocolHeaders.TIMEOUT_MS, ProtocolHeaders.formatTimeout(timeout));
            builder.timeout(timeout); // bounds the wait for response headers; streams bound the rest themselves
        }
        return builder;
    }

    private HttpResponse<InputStream> send(HttpRequest request, String path) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ConnectException(Code.DEADLINE_EXCEEDED, "deadline of " + path + " exceeded", e);
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
        try (InputStream body = response.body()) {
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
            throw new ConnectException(
                    Code.INTERNAL, "response of " + path + " has content type '" + actual + "', expected " + expected);
        }
    }

    private byte[] readBounded(InputStream body, String path) throws IOException {
        byte[] bytes = body.readNBytes(maxMessageBytes + 1);
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
