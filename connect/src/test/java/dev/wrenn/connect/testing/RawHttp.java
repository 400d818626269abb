package dev.wrenn.connect.testing;

import dev.wrenn.connect.codec.Envelope;
import dev.wrenn.connect.codec.EnvelopeReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Plain HTTP requests shaped like connect-web's, to check the exact bytes and headers the server answers. */
public final class RawHttp {
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;

    public RawHttp(URI base) {
        this.base = base;
    }

    /** POSTs {@code body} with the given content type and extra header name/value pairs. */
    public HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public HttpResponse<byte[]> postJson(String path, String json, String... headers) {
        return post(path, "application/json", utf8(json), headers);
    }

    public HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** One envelope per JSON text, concatenated: a streaming request body. */
    public static byte[] envelopes(String... jsonMessages) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String json : jsonMessages) {
            body.writeBytes(Envelope.message(utf8(json)).encode());
        }
        return body.toByteArray();
    }

    /** Splits a streaming response body into its envelopes. */
    public static List<Envelope> splitEnvelopes(byte[] body) {
        EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(body));
        List<Envelope> envelopes = new ArrayList<>();
        try {
            for (var next = reader.next(); next.isPresent(); next = reader.next()) {
                envelopes.add(next.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return envelopes;
    }
}
