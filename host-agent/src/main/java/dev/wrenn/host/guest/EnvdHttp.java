package dev.wrenn.host.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wrenn.connect.client.GuardedInputStream;
import dev.wrenn.connect.client.ReadLimitException;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The guest agent's plain HTTP routes: {@code GET /health}, {@code POST /init}, {@code GET /metrics} and {@code
 * GET/POST /files}. File bodies are streamed both ways, never held whole in memory. Every answer is read under the
 * {@link GuestLimits}: small bodies are capped and must arrive within the call's deadline, downloads may not stall.
 */
final class EnvdHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GuestEndpoint guest;
    private final HttpClient http;
    private final GuestLimits limits;
    private final GuestFaults faults;
    private final String base;

    EnvdHttp(GuestEndpoint guest, HttpClient http, URI base, GuestLimits limits, GuestFaults faults) {
        this.guest = guest;
        this.http = http;
        this.limits = limits;
        this.faults = faults;
        this.base = base.toString();
    }

    void health(Duration timeout) {
        String operation = "checking health";
        HttpRequest request = request("/health", timeout).GET().build();
        drain(expect(send(request, operation, timeout), operation, timeout, 200, 204), operation, timeout);
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
        drain(expect(send(request, operation, timeout), operation, timeout, 204), operation, timeout);
    }

    GuestMetrics metrics(Duration timeout) {
        String operation = "reading metrics";
        HttpRequest request = request("/metrics", timeout).GET().build();
        HttpResponse<InputStream> response = expect(send(request, operation, timeout), operation, timeout, 200);
        try (InputStream body = small(response, operation, timeout)) {
            return GuestMetrics.fromJson(JSON.readTree(body));
        } catch (ReadLimitException e) {
            throw misbehaved(operation, e);
        } catch (IOException | IllegalArgumentException e) {
            throw misbehaved(operation, ErrorCode.INTERNAL, "unreadable answer: " + e.getMessage(), e);
        }
    }

    /**
     * Streams {@code content} into the file; the guest creates parents and removes the file if the body breaks. The
     * guest must keep reading the upload: see {@link UploadWatch}.
     */
    void writeFile(String path, String user, InputStream content) {
        String operation = "writing " + path;
        UploadWatch upload = new UploadWatch(content, limits.streamIdle());
        HttpRequest request = request(filesUri(path, user), null)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> upload))
                .build();
        HttpResponse<InputStream> response = upload.send(http, request, guest.sandboxId(), operation, faults);
        drain(expect(response, operation, limits.headers(), 200), operation, limits.headers());
    }

    /** The file's bytes as the guest sends them; the caller closes the stream. The guest may not stall it. */
    Download readFile(String path, String user) {
        String operation = "reading " + path;
        HttpRequest request =
                request(filesUri(path, user), limits.headers()).GET().build();
        HttpResponse<InputStream> response =
                expect(send(request, operation, limits.headers()), operation, limits.headers(), 200);
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        String what = "the download of " + path + " from sandbox " + guest.sandboxId();
        return new Download(
                new GuardedInputStream(response.body(), what, Long.MAX_VALUE, null, limits.streamIdle()), length);
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

    /** @param headerWaitOrNull how long the answer's headers may take; null for uploads (see {@link UploadWatch}) */
    private HttpRequest.Builder request(String pathAndQuery, Duration headerWaitOrNull) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
        if (!guest.accessToken().isEmpty()) {
            builder.header(EnvdClient.ACCESS_TOKEN_HEADER, guest.accessToken());
        }
        if (headerWaitOrNull != null) {
            builder.timeout(headerWaitOrNull);
        }
        return builder;
    }

    private HttpResponse<InputStream> send(HttpRequest request, String operation, Duration timeout) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw EnvdErrors.sendFailure(guest.sandboxId(), operation, timeout, e, faults);
        } catch (InterruptedException e) {
            throw EnvdErrors.interrupted(guest.sandboxId(), operation, e);
        }
    }

    /** Returns the response when its status is one of {@code ok}, else throws the guest's error. */
    private HttpResponse<InputStream> expect(
            HttpResponse<InputStream> response, String operation, Duration timeout, int... ok) {
        int status = response.statusCode();
        for (int expected : ok) {
            if (status == expected) {
                return response;
            }
        }
        throw EnvdErrors.fromHttp(guest.sandboxId(), operation, status, errorMessage(response, operation, timeout));
    }

    /** The guest's message, cut at the small-body cap: an error answer is for reading, not for failing twice. */
    private String errorMessage(HttpResponse<InputStream> response, String operation, Duration timeout) {
        try (InputStream body = small(response, operation, timeout)) {
            byte[] bytes = body.readNBytes(limits.maxSmallBody());
            String text = new String(bytes, StandardCharsets.UTF_8);
            try {
                JsonNode message = JSON.readTree(text).get("message");
                return message != null && message.isTextual() ? message.asText() : text;
            } catch (IOException notJson) {
                return text;
            }
        } catch (IOException e) {
            return "(error body unreadable: " + e.getMessage() + ")";
        }
    }

    /** Reads and drops a body that should be empty or small; one that is endless or stalls is a fault. */
    private void drain(HttpResponse<InputStream> response, String operation, Duration timeout) {
        try (InputStream body = small(response, operation, timeout)) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (ReadLimitException e) {
            throw misbehaved(operation, e);
        } catch (IOException ignored) {
            // The status already told us what we need; the connection is simply not reused.
        }
    }

    private GuardedInputStream small(HttpResponse<InputStream> response, String operation, Duration deadline) {
        String what = "the answer to " + operation + " from sandbox " + guest.sandboxId();
        return new GuardedInputStream(response.body(), what, limits.maxSmallBody(), deadline, null);
    }

    private HostAgentException misbehaved(String operation, ReadLimitException e) {
        ErrorCode code = EnvdErrors.codeOf(e);
        return misbehaved(operation, code, e.getMessage(), e);
    }

    private HostAgentException misbehaved(String operation, ErrorCode code, String detail, Exception cause) {
        faults.record(guest.sandboxId(), operation + ": " + detail);
        return new HostAgentException(code, EnvdErrors.describe(guest.sandboxId(), operation, detail), cause);
    }
}
