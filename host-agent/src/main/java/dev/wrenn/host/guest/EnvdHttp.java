package dev.wrenn.host.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The guest agent's plain HTTP routes: {@code GET /health}, {@code POST /init} and {@code GET/POST /files}. File
 * bodies are streamed both ways, never held whole in memory.
 */
final class EnvdHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final GuestEndpoint guest;
    private final HttpClient http;
    private final String base;

    EnvdHttp(GuestEndpoint guest, HttpClient http) {
        this.guest = guest;
        this.http = http;
        this.base = "http://" + guest.hostIp() + ":" + EnvdHealth.PORT;
    }

    void health(Duration timeout) {
        HttpRequest request = request("/health", timeout).GET().build();
        drain(expect(send(request, "checking health", timeout), "checking health", 200, 204));
    }

    void init(EnvdInit init, Duration timeout) {
        ObjectNode body = JSON.createObjectNode();
        body.set("envVars", JSON.valueToTree(init.envVars()));
        body.put("accessToken", init.accessToken());
        body.put("defaultUser", init.defaultUser());
        body.put("defaultWorkdir", init.defaultWorkdir());
        body.put("timestamp", init.timestamp().toString());
        if (init.randomSeed().length > 0) {
            body.put("randomSeed", java.util.Base64.getEncoder().encodeToString(init.randomSeed()));
        }
        HttpRequest request = request("/init", timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        String operation = "initializing the guest agent";
        drain(expect(send(request, operation, timeout), operation, 204));
    }

    GuestMetrics metrics(Duration timeout) {
        String operation = "reading metrics";
        HttpRequest request = request("/metrics", timeout).GET().build();
        try (InputStream body =
                expect(send(request, operation, timeout), operation, 200).body()) {
            return GuestMetrics.fromJson(JSON.readTree(body));
        } catch (IOException | IllegalArgumentException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    EnvdErrors.describe(guest.sandboxId(), operation, "unreadable answer: " + e.getMessage()),
                    e);
        }
    }

    /** Streams {@code content} into the file; the guest creates parents and removes the file if the body breaks. */
    void writeFile(String path, String user, InputStream content) {
        String operation = "writing " + path;
        HttpRequest request = request(filesUri(path, user), null)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> content))
                .build();
        drain(expect(send(request, operation, null), operation, 200));
    }

    /** The file's bytes as the guest sends them; the caller closes the stream. */
    Download readFile(String path, String user) {
        String operation = "reading " + path;
        HttpRequest request = request(filesUri(path, user), null).GET().build();
        HttpResponse<InputStream> response = expect(send(request, operation, null), operation, 200);
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Download(response.body(), length);
    }

    /** A file being downloaded: its body and, when the guest sent one, its length. */
    record Download(InputStream body, long length) {}

    private String filesUri(String path, String user) {
        String query = "path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
        if (!user.isEmpty()) {
            query += "&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        }
        return "/files?" + query;
    }

    private HttpRequest.Builder request(String pathAndQuery, Duration timeoutOrNull) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
        if (!guest.accessToken().isEmpty()) {
            builder.header(EnvdClient.ACCESS_TOKEN_HEADER, guest.accessToken());
        }
        if (timeoutOrNull != null) {
            builder.timeout(timeoutOrNull);
        }
        return builder;
    }

    private HttpResponse<InputStream> send(HttpRequest request, String operation, Duration timeout) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new HostAgentException(
                    ErrorCode.DEADLINE_EXCEEDED,
                    EnvdErrors.describe(guest.sandboxId(), operation, "no answer within " + timeout),
                    e);
        } catch (IOException e) {
            throw EnvdErrors.unreachable(guest.sandboxId(), operation, e);
        } catch (InterruptedException e) {
            throw EnvdErrors.interrupted(guest.sandboxId(), operation, e);
        }
    }

    /** Returns the response when its status is one of {@code ok}, else throws the guest's error. */
    private HttpResponse<InputStream> expect(HttpResponse<InputStream> response, String operation, int... ok) {
        int status = response.statusCode();
        for (int expected : ok) {
            if (status == expected) {
                return response;
            }
        }
        throw EnvdErrors.fromHttp(guest.sandboxId(), operation, status, errorMessage(response.body()));
    }

    private static String errorMessage(InputStream body) {
        try (body) {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            String text = new String(bytes, StandardCharsets.UTF_8);
            try {
                JsonNode message = JSON.readTree(text).get("message");
                return message != null && message.isTextual() ? message.asText() : text;
            } catch (IOException notJson) {
                return text;
            }
        } catch (IOException e) {
            return "(error body unreadable: " + e + ")";
        }
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // The status already told us what we need; the connection is simply not reused.
        }
    }
}
