package dev.wrenn.connect.server;

import static dev.wrenn.connect.testing.RawHttp.envelopes;
import static dev.wrenn.connect.testing.RawHttp.splitEnvelopes;
import static dev.wrenn.connect.testing.RawHttp.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.client.ConnectClient;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.Envelope;
import dev.wrenn.connect.testing.LoopbackServer;
import dev.wrenn.connect.testing.RawHttp;
import dev.wrenn.protocol.envd.process.ProcessInput;
import dev.wrenn.protocol.envd.process.ProcessSelector;
import dev.wrenn.protocol.envd.process.StreamInputRequest;
import dev.wrenn.protocol.envd.process.StreamInputResponse;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientStreamingTest {
    private static final String STREAM_INPUT = "/process.Process/StreamInput";

    private final StreamingProcessService process = new StreamingProcessService();
    private final LoopbackServer server = LoopbackServer.serving(new ConnectHttpHandler(List.of(process.service())));

    @AfterEach
    void stopServer() {
        server.close();
    }

    private ConnectClient client(Codec codec) {
        HttpClient http = HttpClient.newBuilder().build();
        return new ConnectClient(server.baseUri(), http, codec);
    }

    private static StreamInputRequest start() {
        return StreamInputRequest.newBuilder()
                .setStart(StreamInputRequest.StartEvent.newBuilder()
                        .setProcess(ProcessSelector.newBuilder().setPid(4242)))
                .build();
    }

    private static StreamInputRequest stdin(String text) {
        return StreamInputRequest.newBuilder()
                .setData(StreamInputRequest.DataEvent.newBuilder()
                        .setInput(ProcessInput.newBuilder().setStdin(ByteString.copyFromUtf8(text))))
                .build();
    }

    @Test
    void aClientStreamDeliversEveryMessageAndReturnsTheResponseOverJsonAndBinary() {
        for (Codec codec : List.of(Codec.json(), Codec.proto())) {
            process.stdin.reset();

            StreamInputResponse response = client(codec)
                    .clientStream(
                            STREAM_INPUT,
                            List.of(start(), stdin("ab"), stdin("c")).iterator(),
                            StreamInputResponse.getDefaultInstance(),
                            Map.of(),
                            null);

            assertThat(response).isEqualTo(StreamInputResponse.getDefaultInstance());
            assertThat(process.stdin.toString(StandardCharsets.UTF_8))
                    .as(codec.name())
                    .isEqualTo("abc");
        }
    }

    @Test
    void theHandlerReadsEachRequestMessageAsItArrives() {
        // The second message exists only once the server has consumed the first: a server that buffered the
        // whole request body would never see it, and the call would not complete.
        Iterator<StreamInputRequest> requests = new Iterator<>() {
            private int sent;

            @Override
            public boolean hasNext() {
                return sent < 2;
            }

            @Override
            public StreamInputRequest next() {
                if (sent++ == 0) {
                    return stdin("first ");
                }
                awaitServerGotFirstInput();
                return stdin("second");
            }
        };

        client(Codec.json())
                .clientStream(STREAM_INPUT, requests, StreamInputResponse.getDefaultInstance(), Map.of(), null);

        assertThat(process.stdin.toString(StandardCharsets.UTF_8)).isEqualTo("first second");
    }

    private void awaitServerGotFirstInput() {
        try {
            assertThat(process.serverGotFirstInput.await(20, TimeUnit.SECONDS))
                    .as("server received the first message while the request body was still open")
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theResponseIsOneMessageEnvelopeThenASuccessfulEndStream() {
        RawHttp raw = new RawHttp(server.baseUri());

        HttpResponse<byte[]> response = raw.post(
                STREAM_INPUT,
                "application/connect+json",
                envelopes("{\"start\":{\"process\":{\"pid\":1}}}", "{\"data\":{\"input\":{\"stdin\":\"aGk=\"}}}"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/connect+json");
        List<Envelope> frames = splitEnvelopes(response.body());
        assertThat(frames).extracting(Envelope::flags).containsExactly(0x00, 0x02);
        assertThat(frames).extracting(frame -> text(frame.payload())).containsExactly("{}", "{}");
        assertThat(process.stdin.toString(StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void aHandlerErrorReachesTheClient() {
        assertThatThrownBy(() -> client(Codec.json())
                        .clientStream(
                                STREAM_INPUT,
                                List.of(stdin("reject")).iterator(),
                                StreamInputResponse.getDefaultInstance(),
                                Map.of(),
                                null))
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessage("input 'reject' refused");
    }

    @Test
    void aMalformedRequestMessageIsInvalidArgument() {
        RawHttp raw = new RawHttp(server.baseUri());

        HttpResponse<byte[]> response =
                raw.post(STREAM_INPUT, "application/connect+json", envelopes("{\"start\":{}}", "{\"data\":"));

        assertThat(text(splitEnvelopes(response.body()).getLast().payload()))
                .contains("invalid_argument")
                .contains("cannot parse process.StreamInputRequest from JSON");
    }

    @Test
    void anExceptionFromTheRequestIteratorReachesTheCaller() {
        Iterator<StreamInputRequest> failing = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public StreamInputRequest next() {
                throw new IllegalStateException("stdin source closed");
            }
        };

        assertThatThrownBy(() -> client(Codec.json())
                        .clientStream(STREAM_INPUT, failing, StreamInputResponse.getDefaultInstance(), Map.of(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("stdin source closed");
    }
}
