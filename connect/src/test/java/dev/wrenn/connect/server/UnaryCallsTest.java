package dev.wrenn.connect.server;

import static dev.wrenn.connect.testing.RawHttp.text;
import static dev.wrenn.connect.testing.RawHttp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.ConnectService;
import dev.wrenn.connect.client.ConnectClient;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.testing.LoopbackServer;
import dev.wrenn.connect.testing.RawHttp;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import dev.wrenn.protocol.envd.filesystem.FileType;
import dev.wrenn.protocol.envd.filesystem.StatRequest;
import dev.wrenn.protocol.envd.filesystem.StatResponse;
import dev.wrenn.protocol.envd.process.SendSignalRequest;
import dev.wrenn.protocol.envd.process.SendSignalResponse;
import dev.wrenn.protocol.envd.process.Signal;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnaryCallsTest {
    private static final String STAT = "/filesystem.Filesystem/Stat";

    private final CountDownLatch slowCallCancelled = new CountDownLatch(1);
    private final AtomicReference<Signal> signalReceived = new AtomicReference<>();
    private final ConnectHttpHandler handler =
            new ConnectHttpHandler(List.of(filesystem(), process()), new ConnectHttpHandler.Options(1024));
    private final LoopbackServer server = LoopbackServer.serving(handler);
    private final RawHttp raw = new RawHttp(server.baseUri());

    private ConnectService filesystem() {
        return ConnectService.builder("filesystem.Filesystem")
                .unary("Stat", StatRequest.getDefaultInstance(), (StatRequest request, CallContext context) -> {
                    context.setResponseHeader("X-Served-By", "wrenn");
                    return switch (request.getPath()) {
                        case "/missing" -> throw ConnectException.notFound("path /missing not found");
                        case "/boom" -> throw new IllegalStateException("disk on fire");
                        case "/slow" -> waitForCancel(context);
                        default ->
                            StatResponse.newBuilder()
                                    .setEntry(EntryInfo.newBuilder()
                                            .setName("a.txt")
                                            .setPath(request.getPath())
                                            .setType(FileType.FILE_TYPE_FILE)
                                            .setSize(5))
                                    .build();
                    };
                })
                .build();
    }

    private StatResponse waitForCancel(CallContext context) {
        context.onCancel(slowCallCancelled::countDown);
        try {
            slowCallCancelled.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StatResponse.getDefaultInstance();
    }

    private ConnectService process() {
        return ConnectService.builder("process.Process")
                .unary(
                        "SendSignal",
                        SendSignalRequest.getDefaultInstance(),
                        (SendSignalRequest request, CallContext ctx) -> {
                            signalReceived.set(request.getSignal());
                            return SendSignalResponse.getDefaultInstance();
                        })
                .build();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private ConnectClient client(Codec codec) {
        HttpClient http = HttpClient.newBuilder().build();
        return new ConnectClient(server.baseUri(), http, codec);
    }

    @Test
    void aUnaryCallReturnsTheHandlersResponseOverJsonAndBinary() {
        for (Codec codec : List.of(Codec.json(), Codec.proto())) {
            StatResponse response = client(codec)
                    .unary(
                            STAT,
                            StatRequest.newBuilder().setPath("/a.txt").build(),
                            StatResponse.getDefaultInstance(),
                            Map.of(),
                            null);

            assertThat(response.getEntry().getPath()).as(codec.name()).isEqualTo("/a.txt");
            assertThat(response.getEntry().getSize()).isEqualTo(5);
        }
    }

    @Test
    void aSuccessfulUnaryCallAnswers200WithTheJsonMessageAndTheHandlersHeaders() {
        HttpResponse<byte[]> response = raw.postJson(STAT, "{\"path\":\"/a.txt\"}", "Connect-Protocol-Version", "1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("X-Served-By")).hasValue("wrenn");
        assertThat(text(response.body()))
                .isEqualTo(
                        "{\"entry\":{\"name\":\"a.txt\",\"type\":\"FILE_TYPE_FILE\",\"path\":\"/a.txt\",\"size\":\"5\"}}");
    }

    @Test
    void aHandlerErrorBecomesTheCodesStatusWithAJsonErrorBody() {
        HttpResponse<byte[]> response = raw.postJson(STAT, "{\"path\":\"/missing\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(text(response.body())).isEqualTo("{\"code\":\"not_found\",\"message\":\"path /missing not found\"}");
    }

    @Test
    void theClientThrowsTheHandlersErrorCodeAndMessage() {
        assertThatThrownBy(() -> client(Codec.json())
                        .unary(
                                STAT,
                                StatRequest.newBuilder().setPath("/missing").build(),
                                StatResponse.getDefaultInstance(),
                                Map.of(),
                                null))
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND))
                .hasMessage("path /missing not found");
    }

    @Test
    void anUnexpectedHandlerExceptionIsInternalAndTheServerGoesOnServing() {
        HttpResponse<byte[]> crashed = raw.postJson(STAT, "{\"path\":\"/boom\"}");
        HttpResponse<byte[]> next = raw.postJson(STAT, "{\"path\":\"/a.txt\"}");

        assertThat(crashed.statusCode()).isEqualTo(500);
        assertThat(text(crashed.body()))
                .isEqualTo("{\"code\":\"internal\",\"message\":\"filesystem.Filesystem/Stat failed: disk on fire\"}");
        assertThat(next.statusCode()).isEqualTo(200);
    }

    @Test
    void enumNamesReachTheHandler() {
        HttpResponse<byte[]> response =
                raw.postJson("/process.Process/SendSignal", "{\"process\":{\"pid\":1},\"signal\":\"SIGNAL_SIGKILL\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response.body())).isEqualTo("{}");
        assertThat(signalReceived).hasValue(Signal.SIGNAL_SIGKILL);
    }

    @Test
    void anUnknownEnumNameIsInvalidArgument() {
        HttpResponse<byte[]> response = raw.postJson("/process.Process/SendSignal", "{\"signal\":\"SIGNAL_SIGWHAT\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response.body()))
                .startsWith("{\"code\":\"invalid_argument\",\"message\":\"cannot parse process.SendSignalRequest")
                .contains("SIGNAL_SIGWHAT");
        assertThat(signalReceived).hasNullValue();
    }

    @Test
    void malformedJsonIsInvalidArgument() {
        HttpResponse<byte[]> response = raw.postJson(STAT, "{\"path\":");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response.body()))
                .contains("\"code\":\"invalid_argument\"")
                .contains("cannot parse filesystem.StatRequest from JSON: malformed JSON");
    }

    @Test
    void anUnknownMethodIs404Unimplemented() {
        HttpResponse<byte[]> response = raw.postJson("/filesystem.Filesystem/Nope", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(text(response.body()))
                .isEqualTo("{\"code\":\"unimplemented\",\"message\":\"no procedure /filesystem.Filesystem/Nope\"}");
        assertThatThrownBy(() -> client(Codec.json())
                        .unary(
                                "/filesystem.Filesystem/Nope",
                                StatRequest.getDefaultInstance(),
                                StatResponse.getDefaultInstance(),
                                Map.of(),
                                null))
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED));
    }

    @Test
    void aMethodOtherThanPostIs405() {
        HttpResponse<byte[]> response = raw.get(STAT);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void anUnsupportedContentTypeIs415() {
        HttpResponse<byte[]> response = raw.post(STAT, "text/plain", utf8("{}"));
        HttpResponse<byte[]> streamingTypeOnUnary = raw.post(STAT, "application/connect+json", utf8("{}"));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(text(response.body())).contains("unsupported content type 'text/plain'");
        assertThat(streamingTypeOnUnary.statusCode()).isEqualTo(415);
    }

    @Test
    void aJsonContentTypeWithCharsetIsAccepted() {
        HttpResponse<byte[]> response =
                raw.post(STAT, "application/json; charset=utf-8", utf8("{\"path\":\"/a.txt\"}"));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aProtocolVersionOtherThanOneIsInvalidArgument() {
        HttpResponse<byte[]> response = raw.postJson(STAT, "{}", "Connect-Protocol-Version", "2");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response.body())).contains("invalid_argument").contains("Connect-Protocol-Version '2'");
    }

    @Test
    void aMalformedTimeoutIsInvalidArgument() {
        HttpResponse<byte[]> response = raw.postJson(STAT, "{}", "Connect-Timeout-Ms", "soon");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response.body())).contains("invalid_argument").contains("Connect-Timeout-Ms header 'soon'");
    }

    @Test
    void aCompressedBodyIsUnimplemented() {
        HttpResponse<byte[]> response = raw.postJson(STAT, "{}", "Content-Encoding", "gzip");

        assertThat(response.statusCode()).isEqualTo(501);
        assertThat(text(response.body())).contains("unimplemented").contains("Content-Encoding 'gzip'");
    }

    @Test
    void aBodyAboveTheMaximumMessageSizeIsResourceExhausted() {
        String path = "/" + "x".repeat(2000);

        HttpResponse<byte[]> response = raw.postJson(STAT, "{\"path\":\"" + path + "\"}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(text(response.body()))
                .contains("resource_exhausted")
                .contains("exceeds the maximum message size of 1024 bytes");
    }

    @Test
    void aPassedDeadlineAnswers504DeadlineExceededAndRunsOnCancel() {
        HttpResponse<byte[]> response = raw.postJson(STAT, "{\"path\":\"/slow\"}", "Connect-Timeout-Ms", "200");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(text(response.body()))
                .isEqualTo("{\"code\":\"deadline_exceeded\",\"message\":\"context deadline exceeded\"}");
        await().until(() -> slowCallCancelled.getCount() == 0);
    }

    @Test
    void theClientReportsAPassedDeadlineAsDeadlineExceeded() {
        assertThatThrownBy(() -> client(Codec.json())
                        .unary(
                                STAT,
                                StatRequest.newBuilder().setPath("/slow").build(),
                                StatResponse.getDefaultInstance(),
                                Map.of(),
                                Duration.ofMillis(200)))
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    }

    @Test
    void theContextPathsAreOnePerService() {
        assertThat(handler.contextPaths()).containsExactly("/filesystem.Filesystem/", "/process.Process/");
    }
}
