package dev.wrenn.launcher.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Wrenn's REST API as a user reaches it: the JDK HTTP client, JSON bodies, an API key in {@code X-API-Key}. Every
 * call names its step, and anything but the expected status is a {@link CampaignFailure} with the status and body.
 */
final class WrennApi {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Under TCG on a loaded machine a create or a pause of a large VM takes a while, and an exec at the back of the
     * load campaign's burst waits its turn on the host for minutes (the host agent bounds that wait and answers
     * 429/503 when its queue is full); nothing waits forever.
     */
    static final Duration CALL_DEADLINE = Duration.ofMinutes(30);

    private final String base;
    private final HttpClient http;
    private final String apiKey;

    WrennApi(String base, HttpClient http, String apiKey) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = http;
        this.apiKey = apiKey;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** Logs in as {@code email} and makes an API key of the given format ({@code wrenn} or {@code e2b}). */
    static String makeKey(String base, HttpClient http, String email, String password, String format) {
        WrennApi anonymous = new WrennApi(base, http, null);
        ObjectNode login = JSON.createObjectNode().put("email", email).put("password", password);
        String token = anonymous
                .call("login", "POST", "/v1/auth/login", login, null, 200)
                .json()
                .path("token")
                .asText();
        ObjectNode key = JSON.createObjectNode().put("name", "campaign-" + format);
        if (format.equals("e2b")) {
            key.put("format", "e2b");
        }
        return anonymous
                .call("api key", "POST", "/v1/api-keys", key, token, 201)
                .json()
                .path("key")
                .asText();
    }

    String base() {
        return base;
    }

    /** A running sandbox: its id. */
    String create(String template, int memoryMb) {
        ObjectNode body = JSON.createObjectNode().put("template", template);
        if (memoryMb > 0) {
            body.put("memory_mb", memoryMb);
        }
        JsonNode sandbox =
                call("create", "POST", "/v1/sandboxes", body, null, 201).json();
        expectStatus("create", sandbox, "running");
        return sandbox.path("id").asText();
    }

    /** The command's result ({@code stdout}, {@code stderr}, {@code exit_code}); a non-zero exit is a failure. */
    JsonNode exec(String step, String id, String script) {
        ObjectNode body = JSON.createObjectNode().put("cmd", "sh").put("timeout_sec", 600);
        body.putArray("args").add("-c").add(script);
        JsonNode result = call(step, "POST", "/v1/sandboxes/" + id + "/exec", body, null, 200)
                .json();
        if (result.path("exit_code").asInt(-1) != 0) {
            throw new CampaignFailure(
                    step,
                    "exit " + result.path("exit_code") + ", stderr: "
                            + snippet(result.path("stderr").asText()));
        }
        return result;
    }

    /** The command's stdout without its trailing newline. */
    String run(String step, String id, String script) {
        return exec(step, id, script).path("stdout").asText().strip();
    }

    void upload(String step, String id, String path, byte[] content) {
        String boundary = "campaign-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 512);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n" + path
                        + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        send(
                step,
                request("/v1/sandboxes/" + id + "/files/write", null)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                204);
    }

    byte[] download(String step, String id, String path) {
        return call(
                        step,
                        "POST",
                        "/v1/sandboxes/" + id + "/files/read",
                        JSON.createObjectNode().put("path", path),
                        null,
                        200)
                .body();
    }

    void pause(String id) {
        expectStatus(
                "pause",
                call("pause", "POST", "/v1/sandboxes/" + id + "/pause", null, null, 200)
                        .json(),
                "paused");
    }

    void resume(String id) {
        expectStatus(
                "resume",
                call("resume", "POST", "/v1/sandboxes/" + id + "/resume", null, null, 200)
                        .json(),
                "running");
    }

    /** A template named {@code name} frozen from the sandbox (which is left paused). */
    void snapshot(String id, String name) {
        call(
                "snapshot",
                "POST",
                "/v1/snapshots",
                JSON.createObjectNode().put("sandbox_id", id).put("name", name),
                null,
                201);
    }

    void deleteSnapshot(String name) {
        call("delete snapshot", "DELETE", "/v1/snapshots/" + name, null, null, 204);
    }

    void destroy(String id) {
        call("destroy", "DELETE", "/v1/sandboxes/" + id, null, null, 204);
    }

    /** The team's live sandboxes (pending, running, paused). */
    JsonNode sandboxes() {
        return call("list sandboxes", "GET", "/v1/sandboxes", null, null, 200).json();
    }

    /** The team's templates, with the built-in base. */
    JsonNode templates() {
        return call("list templates", "GET", "/v1/snapshots", null, null, 200).json();
    }

    /** E2B's view of a sandbox: its {@code envdAccessToken} is what the proxy demands of E2B clients. */
    JsonNode e2bDetail(String id) {
        return call("e2b detail", "GET", "/sandboxes/" + id, null, null, 200).json();
    }

    record Answer(int status, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CampaignFailure("json", "not JSON: " + snippet(new String(body, StandardCharsets.UTF_8)));
            }
        }
    }

    Answer call(String step, String method, String path, JsonNode body, String bearer, int expected) {
        HttpRequest.Builder request = request(path, bearer);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        return send(step, request, expected);
    }

    private HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(CALL_DEADLINE);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        } else if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return request;
    }

    private Answer send(String step, HttpRequest.Builder request, int expected) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CampaignFailure(step, "no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CampaignFailure(step, "interrupted", e);
        }
        if (response.statusCode() != expected) {
            throw new CampaignFailure(
                    step,
                    "HTTP " + response.statusCode() + " (expected " + expected + "): "
                            + snippet(new String(response.body(), StandardCharsets.UTF_8)));
        }
        return new Answer(response.statusCode(), response.body());
    }

    private static void expectStatus(String step, JsonNode sandbox, String status) {
        if (!status.equals(sandbox.path("status").asText())) {
            throw new CampaignFailure(
                    step,
                    "status " + sandbox.path("status") + ", expected " + status + ": " + snippet(sandbox.toString()));
        }
    }

    static String snippet(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    static List<String> ids(JsonNode array, String field) {
        List<String> ids = new java.util.ArrayList<>();
        array.forEach(node -> ids.add(node.path(field).asText()));
        return ids;
    }
}
