package dev.wrenn.connect.client;

import static dev.wrenn.connect.testing.RawHttp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.Envelope;
import dev.wrenn.connect.testing.LoopbackServer;
import dev.wrenn.protocol.envd.filesystem.StatRequest;
import dev.wrenn.protocol.envd.filesystem.StatResponse;
import dev.wrenn.protocol.envd.filesystem.WatchDirRequest;
import dev.wrenn.protocol.envd.filesystem.WatchDirResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The client against hand-written peers: what it sends, and how it reads answers a Wrenn server never gives. */
class ConnectClientTest {
    private static final String STAT = "/filesystem.Filesystem/Stat";
    private static final String WATCH = "/filesystem.Filesystem/WatchDir";

    private static HttpHandler answering(int status, String contentType, byte[] body) {
        return exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    private static ConnectClient client(LoopbackServer server) {
        return new ConnectClient(server.baseUri(), HttpClient.newHttpClient(), Codec.json());
    }

    @Test
    void aUnaryCallSendsTheConnectHeadersAndTheJsonBody() {
        AtomicReference<HttpExchange> seen = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        HttpHandler reply = answering(200, "application/json", utf8("{\"entry\":{\"name\":\"x\"}}"));
        try (LoopbackServer server = LoopbackServer.raw(STAT, exchange -> {
            seen.set(exchange);
            body.set(new String(exchange.getRequestBody().readAllBytes()));
            reply.handle(exchange);
        })) {
            StatResponse response = client(server)
                    .unary(
                            STAT,
                            StatRequest.newBuilder().setPath("/x").build(),
                            StatResponse.getDefaultInstance(),
                            Map.of("X-Access-Token", "tok123"),
                            Duration.ofSeconds(60));

            assertThat(response.getEntry().getName()).isEqualTo("x");
            var headers = seen.get().getRequestHeaders();
            assertThat(seen.get().getRequestMethod()).isEqualTo("POST");
            assertThat(seen.get().getProtocol()).isEqualTo("HTTP/1.1");
            assertThat(headers.getFirst("Content-Type")).isEqualTo("application/json");
            assertThat(headers.getFirst("Connect-Protocol-Version")).isEqualTo("1");
            assertThat(headers.getFirst("Connect-Timeout-Ms")).isEqualTo("60000");
            assertThat(headers.getFirst("X-Access-Token")).isEqualTo("tok123");
            assertThat(body.get()).isEqualTo("{\"path\":\"/x\"}");
        }
    }

    @Test
    void withoutATimeoutNoTimeoutHeaderIsSent() {
        AtomicReference<String> timeoutHeader = new AtomicReference<>("unset");
        HttpHandler reply = answering(200, "application/json", utf8("{}"));
        try (LoopbackServer server = LoopbackServer.raw(STAT, exchange -> {
            timeoutHeader.set(exchange.getRequestHeaders().getFirst("Connect-Timeout-Ms"));
            reply.handle(exchange);
        })) {
            client(server)
                    .unary(STAT, StatRequest.getDefaultInstance(), StatResponse.getDefaultInstance(), Map.of(), null);

            assertThat(timeoutHeader.get()).isNull();
        }
    }

    @Test
    void anErrorStatusWithoutAJsonBodyTakesItsCodeFromTheStatus() {
        try (LoopbackServer server = LoopbackServer.raw(STAT, answering(401, "text/plain", utf8("go away")))) {
            assertThatThrownBy(() -> client(server)
                            .unary(
                                    STAT,
                                    StatRequest.getDefaultInstance(),
                                    StatResponse.getDefaultInstance(),
                                    Map.of(),
                                    null))
                    .isInstanceOfSatisfying(
                            ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAUTHENTICATED))
                    .hasMessage("HTTP status 401");
        }
    }

    @Test
    void aStreamAnsweredWithAnErrorStatusTakesItsCodeFromTheStatus() {
        try (LoopbackServer server = LoopbackServer.raw(WATCH, answering(503, "text/plain", utf8("down")))) {
            assertThatThrownBy(() -> client(server)
                            .serverStream(
                                    WATCH,
                                    WatchDirRequest.getDefaultInstance(),
                                    WatchDirResponse.getDefaultInstance(),
                                    Map.of(),
                                    null))
                    .isInstanceOfSatisfying(
                            ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
        }
    }

    @Test
    void aStreamThatEndsWithoutAnEndStreamIsAnError() {
        byte[] onlyAMessage = Envelope.message(utf8("{\"start\":{}}")).encode();
        try (LoopbackServer server =
                        LoopbackServer.raw(WATCH, answering(200, "application/connect+json", onlyAMessage));
                ServerStream<WatchDirResponse> stream = client(server)
                        .serverStream(
                                WATCH,
                                WatchDirRequest.getDefaultInstance(),
                                WatchDirResponse.getDefaultInstance(),
                                Map.of(),
                                null)) {
            assertThat(stream.next().hasStart()).isTrue();
            assertThatThrownBy(stream::hasNext)
                    .isInstanceOfSatisfying(
                            ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INTERNAL))
                    .hasMessageContaining("missing EndStreamResponse");
        }
    }

    @Test
    void aStreamSendsOneEnvelopeWithTheStreamingContentType() {
        AtomicReference<String> contentType = new AtomicReference<>();
        AtomicReference<byte[]> body = new AtomicReference<>();
        byte[] endOnly = Envelope.endStream(utf8("{}")).encode();
        HttpHandler reply = answering(200, "application/connect+json", endOnly);
        try (LoopbackServer server = LoopbackServer.raw(WATCH, exchange -> {
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            body.set(exchange.getRequestBody().readAllBytes());
            reply.handle(exchange);
        })) {
            try (ServerStream<WatchDirResponse> stream = client(server)
                    .serverStream(
                            WATCH,
                            WatchDirRequest.newBuilder().setPath("/h").build(),
                            WatchDirResponse.getDefaultInstance(),
                            Map.of(),
                            null)) {
                assertThat(stream.hasNext()).isFalse();
            }

            assertThat(contentType.get()).isEqualTo("application/connect+json");
            assertThat(body.get())
                    .isEqualTo(Envelope.message(utf8("{\"path\":\"/h\"}")).encode());
        }
    }

    @Test
    void aSuccessWithTheWrongContentTypeIsInternal() {
        try (LoopbackServer server = LoopbackServer.raw(STAT, answering(200, "text/html", utf8("<html/>")))) {
            assertThatThrownBy(() -> client(server)
                            .unary(
                                    STAT,
                                    StatRequest.getDefaultInstance(),
                                    StatResponse.getDefaultInstance(),
                                    Map.of(),
                                    null))
                    .isInstanceOfSatisfying(
                            ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INTERNAL))
                    .hasMessageContaining("content type 'text/html'");
        }
    }

    @Test
    void anUnreachableServerIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ConnectClient client = new ConnectClient(
                URI.create("http://127.0.0.1:" + closedPort), HttpClient.newHttpClient(), Codec.json());

        assertThatThrownBy(() -> client.unary(
                        STAT, StatRequest.getDefaultInstance(), StatResponse.getDefaultInstance(), Map.of(), null))
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE))
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void aBasePathAndAPathWithoutALeadingSlashAreJoined() {
        AtomicReference<String> path = new AtomicReference<>();
        HttpHandler reply = answering(200, "application/json", utf8("{}"));
        try (LoopbackServer server = LoopbackServer.raw("/prefix/", exchange -> {
            path.set(exchange.getRequestURI().getPath());
            reply.handle(exchange);
        })) {
            ConnectClient client = new ConnectClient(
                    URI.create(server.baseUri() + "/prefix/"), HttpClient.newHttpClient(), Codec.json());

            client.unary(
                    "filesystem.Filesystem/Stat",
                    StatRequest.getDefaultInstance(),
                    StatResponse.getDefaultInstance(),
                    Map.of(),
                    null);

            assertThat(path.get()).isEqualTo("/prefix/filesystem.Filesystem/Stat");
        }
    }

    @Test
    void errorMetadataIncludesTheResponseHeaders() {
        HttpHandler reply = answering(404, "application/json", utf8("{\"code\":\"not_found\",\"message\":\"gone\"}"));
        try (LoopbackServer server = LoopbackServer.raw(STAT, exchange -> {
            exchange.getResponseHeaders().set("X-Detail", "d1");
            reply.handle(exchange);
        })) {
            assertThatThrownBy(() -> client(server)
                            .unary(
                                    STAT,
                                    StatRequest.getDefaultInstance(),
                                    StatResponse.getDefaultInstance(),
                                    Map.of(),
                                    null))
                    .isInstanceOfSatisfying(ConnectException.class, e -> {
                        assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
                        assertThat(e.metadata()).containsEntry("x-detail", List.of("d1"));
                    });
        }
    }
}
