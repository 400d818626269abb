package dev.wrenn.guest.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as a raw-socket client sees it: framing, keep-alive, streamed bodies and the errors it answers. */
class WrennHttpServerTest {
    private WrennHttpServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = WrennHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", WrennHttpServerTest::echo);
        server.createContext("/stream", WrennHttpServerTest::stream);
        server.createContext("/empty", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/file", exchange -> {
            Path file = Path.of(exchange.getRequestURI().getQuery());
            try (FileChannel channel = FileChannel.open(file)) {
                exchange.sendResponseHeaders(200, channel.size());
                assertThat(FileResponses.send(exchange, channel, 0, channel.size()))
                        .isTrue();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void echo(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        byte[] answer = (exchange.getRequestMethod() + " " + body.length + " "
                        + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private static void stream(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("first".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write("second".getBytes(StandardCharsets.UTF_8));
        }
    }

    private String exchange(String request) throws IOException {
        try (Socket socket =
                new Socket(server.getAddress().getAddress(), server.getAddress().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void twoRequestsOnOneConnectionGetTwoAnswersWithTheirLengths() throws IOException {
        String answers = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answers)
                .contains("HTTP/1.1 200 OK\r\n")
                .contains("Content-length: 12\r\n")
                .contains("Content-length: 6\r\n");
        assertThat(answers).contains("POST 5 hello").contains("GET 0 ");
        assertThat(answers.split("HTTP/1.1 200 OK", -1)).hasSize(3);
    }

    @Test
    void aChunkedRequestBodyIsReassembledAndTrailersSkipped() throws IOException {
        String answer =
                exchange("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + "3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nX-Trailer: 1\r\n\r\n");

        assertThat(answer).contains("POST 7 abcdefg").contains("Connection: close");
    }

    @Test
    void aStreamedResponseIsChunkedOneChunkPerFlushAndEndsWithTheLastChunk() throws IOException {
        String answer = exchange("GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).contains("Transfer-encoding: chunked").endsWith("5\r\nfirst\r\n6\r\nsecond\r\n0\r\n\r\n");
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsRead() throws IOException {
        String answer = exchange(
                "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

        assertThat(answer)
                .startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK")
                .contains("POST 2 ok");
    }

    @Test
    void aNoContentAnswerHasNoBodyAndNoLength() throws IOException {
        String answer = exchange("GET /empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer)
                .startsWith("HTTP/1.1 204 No Content")
                .doesNotContain("Content-length")
                .endsWith("\r\n\r\n");
    }

    @Test
    void aFileIsSentWithItsExactBytes() throws IOException {
        byte[] bytes = new byte[300_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("data"), bytes);

        String answer = exchange("GET /file?" + file + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        byte[] body = answer.substring(answer.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(answer).contains("Content-length: 300000");
        assertThat(body).isEqualTo(bytes);
    }

    @Test
    void malformedRequestsGetAnErrorWithAMessageAndTheServerGoesOn() throws IOException {
        assertThat(exchange("NONSENSE\r\n\r\n"))
                .startsWith("HTTP/1.1 400 Bad Request")
                .contains("malformed request line");
        assertThat(exchange("POST /echo HTTP/1.1\r\nContent-Length: ten\r\n\r\n"))
                .startsWith("HTTP/1.1 400")
                .contains("malformed Content-Length");
        assertThat(exchange("POST /echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"))
                .startsWith("HTTP/1.1 501")
                .contains("unsupported Transfer-Encoding");
        assertThat(exchange("GET /echo HTTP/1.1\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
        assertThat(exchange("GET /nowhere HTTP/1.1\r\n\r\n"))
                .startsWith("HTTP/1.1 404")
                .contains("no handler for /nowhere");

        assertThat(exchange("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .contains("GET 0");
    }

    @Test
    void aHandlerThatFailsBeforeAnsweringGetsA500() throws IOException {
        server.createContext("/boom", exchange -> {
            throw new IllegalStateException("broken handler");
        });

        assertThat(exchange("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 500")
                .contains("broken handler")
                .contains("Connection: close");
    }
}
