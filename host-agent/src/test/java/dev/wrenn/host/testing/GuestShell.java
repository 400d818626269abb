package dev.wrenn.host.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.host.net.Ipv4;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Runs a shell command in a real guest through its agent's envd API ({@code process.Process/Start}, Connect
 * protocol with the JSON codec, as E2B's SDK calls it), so tests can make the guest itself open connections.
 */
public final class GuestShell {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** What the command printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private GuestShell() {}

    public static Result run(Ipv4 hostIp, String script) throws IOException, InterruptedException {
        byte[] body =
                JSON.writeValueAsBytes(Map.of("process", Map.of("cmd", "/bin/bash", "args", List.of("-c", script))));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostIp + ":49983/process.Process/Start"))
                .header("Content-Type", "application/connect+json")
                .header("Connect-Protocol-Version", "1")
                .header("Authorization", "Basic cm9vdDo=")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope(body)))
                .build();
        HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream stream = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("process.Process/Start answered HTTP " + response.statusCode());
            }
            return read(stream);
        }
    }

    private static byte[] envelope(byte[] json) {
        return ByteBuffer.allocate(5 + json.length)
                .put((byte) 0)
                .putInt(json.length)
                .put(json)
                .array();
    }

    /** Reads every envelope up to the end-stream one, so the exchange completes. */
    private static Result read(InputStream body) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        DataInputStream in = new DataInputStream(body);
        JsonNode end = null;
        while (true) {
            int flags;
            try {
                flags = in.readUnsignedByte();
            } catch (EOFException e) {
                throw new IOException("process stream ended without its end-stream message");
            }
            JsonNode node = JSON.readTree(in.readNBytes(in.readInt()));
            if ((flags & 0x02) != 0) {
                if (end == null) {
                    throw new IOException("process stream ended without an end event: " + node);
                }
                return new Result(
                        end.path("exitCode").asInt(0),
                        stdout.toString(StandardCharsets.UTF_8),
                        stderr.toString(StandardCharsets.UTF_8));
            }
            JsonNode event = node.path("event");
            append(stdout, event.path("data").path("stdout"));
            append(stderr, event.path("data").path("stderr"));
            end = event.has("end") ? event.path("end") : end;
        }
    }

    private static void append(ByteArrayOutputStream out, JsonNode base64) {
        if (base64.isTextual()) {
            out.writeBytes(Base64.getDecoder().decode(base64.asText()));
        }
    }
}
