package dev.wrenn.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code true} through the agent's process.Process/Start exactly as E2B's SDK does (Connect, JSON codec, one
 * request envelope, a stream of events back), and the same process spawned directly from Java as the floor.
 */
final class ExecRoundTrip {
    private static final String START_JSON = "{\"process\":{\"cmd\":\"true\"},\"stdin\":false}";

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpRequest request;

    ExecRoundTrip(URI agent) {
        this.request = HttpRequest.newBuilder(agent.resolve("/process.Process/Start"))
                .header("Content-Type", "application/connect+json")
                .header("Connect-Protocol-Version", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope(START_JSON)))
                .build();
    }

    /** One Start of {@code true}, read to the end of the stream; fails unless the process ended with exit 0. */
    void viaAgent() throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        if (response.statusCode() != 200 || !body.contains("\"end\"") || body.contains("\"exitCode\"")) {
            throw new IllegalStateException("unexpected Start answer " + response.statusCode() + ": " + body);
        }
    }

    /** The floor: the same process started and awaited straight from Java. */
    static void direct() throws Exception {
        Process process = new ProcessBuilder("true")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("true exited " + process.exitValue());
        }
    }

    private static byte[] envelope(String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + payload.length)
                .put((byte) 0)
                .putInt(payload.length)
                .put(payload)
                .array();
    }
}
