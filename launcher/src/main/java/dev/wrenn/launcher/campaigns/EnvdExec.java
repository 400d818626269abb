package dev.wrenn.launcher.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A command run the way E2B's SDKs run one: envd's Connect {@code process.Process/Start} (server streaming,
 * {@code application/connect+json} envelopes) sent to Wrenn's sandbox proxy with the {@code E2b-Sandbox-Id} header and
 * the sandbox's {@code X-Access-Token}. Answers the command's stdout once its end event arrived with exit code 0.
 */
final class EnvdExec {
    private static final int MAX_MESSAGE = 1 << 20;

    private EnvdExec() {}

    static String run(HttpClient http, String proxyUrl, String sandboxId, String accessToken, String script) {
        ObjectNode start = WrennApi.JSON.createObjectNode();
        ObjectNode process = start.putObject("process").put("cmd", "/bin/sh");
        process.putArray("args").add("-c").add(script);
        start.put("stdin", false);
        byte[] json = start.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer envelope = ByteBuffer.allocate(5 + json.length)
                .put((byte) 0)
                .putInt(json.length)
                .put(json);
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxyUrl + "/process.Process/Start"))
                .timeout(WrennApi.CALL_DEADLINE)
                .header("Content-Type", "application/connect+json")
                .header("Connect-Protocol-Version", "1")
                .header("E2b-Sandbox-Id", sandboxId)
                .header("E2b-Sandbox-Port", "49983")
                .header("X-Access-Token", accessToken)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("user:".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope.array()))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new CampaignFailure("envd exec", "no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CampaignFailure("envd exec", "interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new CampaignFailure(
                        "envd exec",
                        "HTTP " + response.statusCode() + ": "
                                + WrennApi.snippet(new String(body.readNBytes(4096), StandardCharsets.UTF_8)));
            }
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            Integer exit = null;
            while (true) {
                byte[] header = body.readNBytes(5);
                if (header.length < 5) {
                    throw new CampaignFailure("envd exec", "the stream ended without its end-stream message");
                }
                int flags = header[0];
                int length = ByteBuffer.wrap(header, 1, 4).getInt();
                if (length < 0 || length > MAX_MESSAGE) {
                    throw new CampaignFailure("envd exec", "a message of " + length + " bytes");
                }
                JsonNode message = WrennApi.JSON.readTree(body.readNBytes(length));
                if ((flags & 0x02) != 0) {
                    if (message.has("error")) {
                        throw new CampaignFailure("envd exec", "end-stream error " + message.get("error"));
                    }
                    break;
                }
                JsonNode event = message.path("event");
                if (event.has("data") && event.path("data").has("stdout")) {
                    stdout.writeBytes(Base64.getDecoder()
                            .decode(event.path("data").path("stdout").asText()));
                }
                if (event.has("end")) {
                    exit = event.path("end").path("exitCode").asInt(0);
                }
            }
            if (exit == null || exit != 0) {
                throw new CampaignFailure("envd exec", "exit " + exit + ", stdout " + stdout);
            }
            return stdout.toString(StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new CampaignFailure("envd exec", "reading the stream: " + e, e);
        }
    }
}
