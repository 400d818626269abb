package dev.wrenn.connect.server;

import static dev.wrenn.connect.server.StreamingProcessService.endEvent;
import static dev.wrenn.connect.server.StreamingProcessService.startEvent;
import static dev.wrenn.connect.server.StreamingProcessService.stdout;
import static dev.wrenn.connect.testing.RawHttp.envelopes;
import static dev.wrenn.connect.testing.RawHttp.splitEnvelopes;
import static dev.wrenn.connect.testing.RawHttp.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.client.ConnectClient;
import dev.wrenn.connect.client.ServerStream;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.Envelope;
import dev.wrenn.connect.testing.LoopbackServer;
import dev.wrenn.connect.testing.RawHttp;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerStreamingTest {
    private static final String START = "/process.Process/Start";
    private static final String STREAM_JSON = "application/connect+json";

    private final StreamingProcessService process = new StreamingProcessService();
    private final LoopbackServer server = LoopbackServer.serving(new ConnectHttpHandler(List.of(process.service())));
    private final RawHttp raw = new RawHttp(server.baseUri());

    @AfterEach
    void stopServer() {
        server.close();
    }

    private ServerStream<StartResponse> start(String cmd, Codec codec, Duration timeout) {
        ConnectClient client = new ConnectClient(server.baseUri(), HttpClient.newHttpClient(), codec);
        StartRequest request = StartRequest.newBuilder()
                .setProcess(ProcessConfig.newBuilder().setCmd(cmd))
                .build();
        return client.serverStream(START, request, StartResponse.getDefaultInstance(), Map.of(), timeout);
    }

    private static List<StartResponse> drain(ServerStream<StartResponse> stream) {
        List<StartResponse> received = new ArrayList<>();
        stream.forEachRemaining(received::add);
        return received;
    }

    private HttpResponse<byte[]> rawStart(String cmd, String... headers) {
        return raw.post(START, STREAM_JSON, envelopes("{\"process\":{\"cmd\":\"" + cmd + "\"}}"), headers);
    }

    @Test
    void aServerStreamDeliversEveryMessageThenEndsCleanlyOverJsonAndBinary() {
        for (Codec codec : List.of(Codec.json(), Codec.proto())) {
            try (ServerStream<StartResponse> stream = start("echo", codec, null)) {
                assertThat(drain(stream))
                        .as(codec.name())
                        .containsExactly(startEvent(4242), stdout("hello\n"), endEvent(0));
                assertThat(stream.hasNext()).isFalse();
                assertThat(stream.trailers()).isEmpty();
            }
        }
    }

    @Test
    void theStreamIsTheBytesConnectWebExpects() {
        HttpResponse<byte[]> response = rawStart("echo", "Connect-Protocol-Version", "1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(STREAM_JSON);
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        List<Envelope> frames = splitEnvelopes(response.body());
        assertThat(frames).extracting(Envelope::flags).containsExactly(0x00, 0x00, 0x00, 0x02);
        assertThat(frames)
                .extracting(frame -> text(frame.payload()))
                .containsExactly(
                        "{\"event\":{\"start\":{\"pid\":4242}}}",
                        "{\"event\":{\"data\":{\"stdout\":\"aGVsbG8K\"}}}",
                        "{\"event\":{\"end\":{\"exited\":true,\"status\":\"exit status 0\"}}}",
                        "{}");
    }

    @Test
    void eachSentMessageReachesTheClientBeforeTheHandlerReturns() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (ServerStream<StartResponse> stream = start("lockstep", Codec.json(), null)) {
                assertThat(stream.next()).isEqualTo(startEvent(4242));
                process.clientGotFirstMessage.countDown();
                assertThat(drain(stream)).containsExactly(endEvent(0));
            }
        });
    }

    @Test
    void aHandlerErrorEndsTheStreamWithAnErrorEndStreamAndStatus200() {
        HttpResponse<byte[]> response = rawStart("fail");

        assertThat(response.statusCode()).isEqualTo(200);
        List<Envelope> frames = splitEnvelopes(response.body());
        assertThat(frames).hasSize(2);
        assertThat(frames.getLast().flags()).isEqualTo(0x02);
        assertThat(text(frames.getLast().payload()))
                .isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"process 4242 vanished\"},"
                        + "\"metadata\":{\"k\":[\"v\"]}}");
    }

    @Test
    void theClientThrowsTheEndStreamErrorWithItsMetadataAfterTheMessagesBeforeIt() {
        try (ServerStream<StartResponse> stream = start("fail", Codec.json(), null)) {
            assertThat(stream.next()).isEqualTo(startEvent(4242));
            assertThatThrownBy(stream::hasNext)
                    .isInstanceOfSatisfying(ConnectException.class, e -> {
                        assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
                        assertThat(e.metadata()).containsEntry("k", List.of("v"));
                    })
                    .hasMessage("process 4242 vanished");
        }
    }

    @Test
    void anUnexpectedHandlerExceptionEndsTheStreamWithInternal() {
        HttpResponse<byte[]> response = rawStart("crash");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(splitEnvelopes(response.body()).getLast().payload()))
                .isEqualTo(
                        "{\"error\":{\"code\":\"internal\",\"message\":\"process.Process/Start failed: pty broke\"}}");
    }

    @Test
    void aPassedDeadlineEndsTheStreamWithDeadlineExceededAndRunsOnCancel() {
        HttpResponse<byte[]> response = rawStart("hang", "Connect-Timeout-Ms", "200");

        assertThat(response.statusCode()).isEqualTo(200);
        List<Envelope> frames = splitEnvelopes(response.body());
        assertThat(text(frames.getFirst().payload())).isEqualTo("{\"event\":{\"start\":{\"pid\":4242}}}");
        assertThat(frames.getLast().isEndStream()).isTrue();
        assertThat(text(frames.getLast().payload()))
                .isEqualTo("{\"error\":{\"code\":\"deadline_exceeded\",\"message\":\"context deadline exceeded\"}}");
        await().until(() -> process.cancelled.getCount() == 0);
    }

    @Test
    void theClientReportsAPassedStreamDeadlineAsDeadlineExceeded() {
        try (ServerStream<StartResponse> stream = start("hang", Codec.json(), Duration.ofMillis(200))) {
            assertThat(stream.next()).isEqualTo(startEvent(4242));
            assertThatThrownBy(stream::hasNext)
                    .isInstanceOfSatisfying(
                            ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
        }
        await().until(() -> process.cancelled.getCount() == 0);
    }

    @Test
    void aClientThatGoesAwayMakesSendFailAndRunsOnCancel() {
        try (ServerStream<StartResponse> stream = start("flood", Codec.json(), null)) {
            assertThat(stream.next()).isEqualTo(startEvent(4242));
        }

        await().until(() -> process.sendFailed.getCount() == 0);
        await().until(() -> process.cancelled.getCount() == 0);
    }

    @Test
    void aCompressedRequestEnvelopeIsRejectedInTheEndStream() {
        byte[] compressed = new Envelope(Envelope.FLAG_COMPRESSED, RawHttp.utf8("{}")).encode();

        HttpResponse<byte[]> response = raw.post(START, STREAM_JSON, compressed);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(splitEnvelopes(response.body()).getLast().payload()))
                .contains("\"code\":\"invalid_argument\"")
                .contains("does not support compression");
    }

    @Test
    void aServerStreamingRequestMustHoldExactlyOneMessage() {
        HttpResponse<byte[]> twoMessages = raw.post(START, STREAM_JSON, envelopes("{}", "{}"));
        HttpResponse<byte[]> none = raw.post(START, STREAM_JSON, new byte[0]);

        assertThat(text(splitEnvelopes(twoMessages.body()).getLast().payload()))
                .contains("invalid_argument")
                .contains("exactly one message envelope");
        assertThat(text(splitEnvelopes(none.body()).getLast().payload()))
                .contains("invalid_argument")
                .contains("holds no message envelope");
    }

    @Test
    void aTruncatedRequestEnvelopeIsInvalidArgument() {
        byte[] truncated = {0, 0, 0, 0, 20, '{', '}'};

        HttpResponse<byte[]> response = raw.post(START, STREAM_JSON, truncated);

        assertThat(text(splitEnvelopes(response.body()).getLast().payload()))
                .contains("invalid_argument")
                .contains("truncated envelope");
    }

    @Test
    void anUnaryContentTypeOnAStreamingMethodIs415() {
        HttpResponse<byte[]> response = raw.post(START, "application/json", RawHttp.utf8("{}"));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Accept-Post"))
                .hasValueSatisfying(v -> assertThat(v).contains(STREAM_JSON));
    }

    @Test
    void aBadTimeoutOnAStreamIsReportedInTheEndStream() {
        HttpResponse<byte[]> response = rawStart("echo", "Connect-Timeout-Ms", "12345678901");

        assertThat(response.statusCode()).isEqualTo(200);
        List<Envelope> frames = splitEnvelopes(response.body());
        assertThat(frames).hasSize(1);
        assertThat(text(frames.getFirst().payload()))
                .contains("invalid_argument")
                .contains("Connect-Timeout-Ms");
    }
}
