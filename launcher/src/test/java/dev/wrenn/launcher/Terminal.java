package dev.wrenn.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The console's terminal protocol from a test: auth and start frames, typed input, output collected until a text. */
final class Terminal implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private WebSocket socket;

    private Terminal() {}

    static Terminal open(HttpClient http, int port, String sandboxId, String token) throws InterruptedException {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/v1/sandboxes/" + sandboxId + "/pty");
        Terminal terminal = new Terminal();
        terminal.socket =
                http.newWebSocketBuilder().buildAsync(uri, terminal.listener()).join();
        terminal.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        terminal.send("{\"type\":\"start\",\"cols\":100,\"rows\":30}");
        JsonNode started = terminal.next();
        if (!started.path("type").asText().equals("started")) {
            throw new AssertionError("the terminal did not start: " + started);
        }
        return terminal;
    }

    void type(String text) {
        String data = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        send("{\"type\":\"input\",\"data\":\"" + data + "\"}");
    }

    /** Everything the shell printed until {@code text} appeared; fails after a minute without it. */
    String outputUntil(String text) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(text) < 0) {
            JsonNode frame = next();
            if (!frame.path("type").asText().equals("output")) {
                throw new AssertionError("expected output containing " + text + ", got " + frame + " after " + seen);
            }
            seen.append(new String(Base64.getDecoder().decode(frame.get("data").asText()), StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    /** Skips output until the exit frame and returns its exit code. */
    int exitCode() throws InterruptedException {
        while (true) {
            JsonNode frame = next();
            if (frame.path("type").asText().equals("exit")) {
                return frame.get("exit_code").asInt();
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        } catch (CompletionException alreadyClosed) {
            // The server closed first, after the exit frame.
        }
    }

    private void send(String json) {
        socket.sendText(json, true).join();
    }

    private JsonNode next() throws InterruptedException {
        JsonNode frame = frames.poll(1, TimeUnit.MINUTES);
        if (frame == null) {
            throw new AssertionError("no frame from the terminal within a minute");
        }
        return frame;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        frames.add(JSON.readTree(partial.toString()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }
}
