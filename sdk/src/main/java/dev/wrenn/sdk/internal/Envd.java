package dev.wrenn.sdk.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * One sandbox's envd, reached through the configured sandbox URL: Connect calls in the binary protobuf codec
 * (unary and server streaming, with the 5-byte envelopes) and the plain {@code /files} routes. Every request carries
 * {@code E2b-Sandbox-Id} (the proxy routes by it) and the sandbox's access token. Not part of the public API.
 */
public final class Envd {
    /** A Connect message larger than this is refused: envd's messages are 64 KiB chunks at most. */
    static final int MAX_MESSAGE = 16 << 20;

    private final Transport transport;
    private final String sandboxId;
    private final URI base;
    private final String accessToken;

    /**
     * @param transport the shared HTTP side and configuration
     * @param sandboxId the sandbox
     * @param base envd's base URL for it
     * @param accessToken its envd access token, or null
     */
    public Envd(Transport transport, String sandboxId, URI base, String accessToken) {
        this.transport = transport;
        this.sandboxId = sandboxId;
        this.base = base;
        this.accessToken = accessToken;
    }

    /** The configuration. */
    public ConnectionConfig config() {
        return transport.config();
    }

    /** The sandbox's envd base URL. */
    public URI base() {
        return base;
    }

    private HttpRequest.Builder request(String pathAndQuery, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("E2b-Sandbox-Id", sandboxId)
                .header("E2b-Sandbox-Port", Integer.toString(ConnectionConfig.ENVD_PORT))
                .header("User-Agent", "wrenn-java-sdk/" + Version.VERSION);
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (accessToken != null) {
            b.header("X-Access-Token", accessToken);
        }
        return b;
    }

    private static void user(HttpRequest.Builder b, String user) {
        if (user != null) {
            // envd's user selection on RPCs: Basic auth with the user name and an empty password.
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** A unary Connect call ({@code /process.Process/List}, …); errors become the exception family. */
    public <T extends MessageLite> T unary(
            String method, MessageLite message, Parser<T> parser, String user, String what) {
        HttpRequest.Builder b = request("/" + method, transport.config().requestTimeout())
                .header("Content-Type", "application/proto")
                .header("Connect-Protocol-Version", "1")
                .header(
                        "Connect-Timeout-Ms",
                        Long.toString(transport.config().requestTimeout().toMillis()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.toByteArray()));
        user(b, user);
        HttpResponse<InputStream> response = Transport.send(b.build(), what);
        byte[] body;
        try (InputStream in = response.body()) {
            body = Bounded.readAll(in, MAX_MESSAGE);
        } catch (IOException e) {
            throw Transport.failure(e, what);
        }
        if (response.statusCode() != 200) {
            throw Errors.fromHttp(response.statusCode(), new String(body, StandardCharsets.UTF_8), what);
        }
        try {
            return parser.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new SandboxException(what + ": malformed answer from envd (" + e.getMessage() + ")", 0, e);
        }
    }

    /**
     * Opens a server-streaming Connect call and returns once the answer's headers arrived (so that a refused call
     * fails here). {@code timeout} (null or zero: none) is sent as {@code Connect-Timeout-Ms} and enforced locally.
     */
    public <T extends MessageLite> ServerStream<T> stream(
            String method, MessageLite message, Parser<T> parser, String user, Duration timeout, String what) {
        byte[] payload = message.toByteArray();
        ByteBuffer envelope = ByteBuffer.allocate(5 + payload.length);
        envelope.put((byte) 0).putInt(payload.length).put(payload);
        HttpRequest.Builder b = request("/" + method, transport.config().requestTimeout())
                .header("Content-Type", "application/connect+proto")
                .header("Connect-Protocol-Version", "1")
                .header("Keepalive-Ping-Interval", "50")
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope.array()));
        boolean limited = timeout != null && !timeout.isZero();
        if (limited) {
            b.header("Connect-Timeout-Ms", Long.toString(timeout.toMillis()));
        }
        user(b, user);
        HttpResponse<InputStream> response = Transport.send(b.build(), what);
        if (response.statusCode() != 200) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(Bounded.readAll(in, 1 << 20), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw Transport.failure(e, what);
            }
            throw Errors.fromHttp(response.statusCode(), text, what);
        }
        return new ServerStream<>(response.body(), parser, limited ? timeout : null, what);
    }

    /** {@code GET /files}: the file's bytes as a stream the caller closes; errors become the family. */
    public InputStream download(String path, String user, String what) {
        HttpRequest.Builder b = request(
                        "/files" + Transport.query(Transport.params("path", path, "username", user)),
                        transport.config().requestTimeout())
                .GET();
        HttpResponse<InputStream> response = Transport.send(b.build(), what);
        if (response.statusCode() != 200) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(Bounded.readAll(in, 1 << 20), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw Transport.failure(e, what);
            }
            throw Errors.fromHttp(response.statusCode(), text, what);
        }
        return response.body();
    }

    /**
     * {@code POST /files} with an octet-stream body (envd ≥ 0.5.7): the body streams, so a large file is never held in
     * memory. {@code timeout} bounds the whole upload. Returns the JSON answer.
     */
    public Transport.Answer upload(
            String path, String user, HttpRequest.BodyPublisher body, Duration timeout, String what) {
        HttpRequest.Builder b = request(
                        "/files" + Transport.query(Transport.params("path", path, "username", user)), timeout)
                .header("Content-Type", "application/octet-stream")
                .POST(body);
        HttpResponse<InputStream> response = Transport.send(b.build(), what);
        String text;
        try (InputStream in = response.body()) {
            text = new String(Bounded.readAll(in, 1 << 20), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Transport.failure(e, what);
        }
        if (response.statusCode() / 100 != 2) {
            throw Errors.fromHttp(response.statusCode(), text, what);
        }
        Object parsed;
        try {
            parsed = text.isBlank() ? null : Json.parse(text);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        return new Transport.Answer(response.statusCode(), parsed, response.headers());
    }

    /** {@code GET /health}: true on 2xx, false when the proxy says the sandbox is not running (502). */
    public boolean health() {
        HttpRequest.Builder b = request("/health", Duration.ofSeconds(5)).GET();
        HttpResponse<InputStream> response = Transport.send(b.build(), "health check");
        try (InputStream in = response.body()) {
            Bounded.readAll(in, 1 << 20);
        } catch (IOException e) {
            throw Transport.failure(e, "health check");
        }
        if (response.statusCode() / 100 == 2) {
            return true;
        }
        if (response.statusCode() == 502) {
            return false;
        }
        throw new SandboxException("health check: HTTP " + response.statusCode(), response.statusCode(), null);
    }
}
