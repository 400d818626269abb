package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The crash tests' client of a control plane's {@code /v1} API (and E2B's routes beside it): log in, create, exec,
 * read a sandbox, and wait for a sandbox to settle, saying what the programs logged when it does not.
 */
final class SandboxApi {
    static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final Supplier<String> diagnostics;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String token;

    SandboxApi(int port, Supplier<String> diagnostics) {
        this.port = port;
        this.diagnostics = diagnostics;
    }

    /** Signs the account up first when {@code signUp} (the first account: the administrator), then logs in. */
    void login(String email, String password, boolean signUp) throws Exception {
        ObjectNode account = JSON.createObjectNode().put("email", email).put("password", password);
        if (signUp) {
            HttpResponse<String> signup = send("POST", "/v1/auth/signup", account.toString());
            assertThat(signup.statusCode()).as(signup.body()).isIn(201, 202);
        }
        HttpResponse<String> login = send("POST", "/v1/auth/login", account.toString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        token = JSON.readTree(login.body()).get("token").asText();
    }

    /** Waits until {@code /healthz} answers; fails when {@code alive} turns false or after {@code limit}. */
    void awaitServing(Supplier<Boolean> alive, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if (send("GET", "/healthz", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!alive.get() || System.nanoTime() > deadline) {
                fail("the control plane did not serve on port %d:%n%s", port, diagnostics.get());
            }
            Thread.sleep(100);
        }
    }

    String create() throws Exception {
        HttpResponse<String> created = send("POST", "/v1/sandboxes", "{\"template\":\"base\",\"timeout_sec\":3600}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asText();
    }

    void pause(String id) throws Exception {
        HttpResponse<String> reply = send("POST", "/v1/sandboxes/" + id + "/pause", null);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    }

    void resume(String id) throws Exception {
        HttpResponse<String> reply = send("POST", "/v1/sandboxes/" + id + "/resume", null);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    }

    void destroy(String id) throws Exception {
        HttpResponse<String> reply = send("DELETE", "/v1/sandboxes/" + id, null);
        assertThat(reply.statusCode()).as(reply.body()).isIn(204, 404);
    }

    /** Runs a shell script in the sandbox through {@code /v1}; returns its standard output, stripped. */
    String exec(String id, String script) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("cmd", "/bin/sh");
        body.putArray("args").add("-c").add(script);
        HttpResponse<String> reply = send("POST", "/v1/sandboxes/" + id + "/exec", body.toString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(reply.body());
        assertThat(result.get("exit_code").asInt()).as(reply.body()).isZero();
        return result.get("stdout").asText().strip();
    }

    /** The sandbox's /v1 view; an empty object when it answers 404. */
    JsonNode sandbox(String id) throws Exception {
        HttpResponse<String> reply = send("GET", "/v1/sandboxes/" + id, null);
        assertThat(reply.statusCode()).as(reply.body()).isIn(200, 404);
        return reply.statusCode() == 404 ? JSON.createObjectNode() : JSON.readTree(reply.body());
    }

    /** Every live sandbox the team lists on {@code /v1}. */
    List<JsonNode> sandboxes() throws Exception {
        HttpResponse<String> reply = send("GET", "/v1/sandboxes", null);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(reply.body());
        JsonNode list = body.isArray() ? body : body.path("sandboxes");
        List<JsonNode> all = new ArrayList<>();
        list.forEach(all::add);
        return all;
    }

    /**
     * Polls the sandbox until {@code settled} holds; returns how long that took since {@code from} (a restart). Fails
     * after {@code limit} with the last view and the programs' logs.
     */
    Duration awaitSandbox(String id, Predicate<JsonNode> settled, long from, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last;
        while (!settled.test(last = sandbox(id))) {
            if (System.nanoTime() > deadline) {
                fail("sandbox %s did not settle within %s; last seen: %s%n%s", id, limit, last, diagnostics.get());
            }
            Thread.sleep(50);
        }
        return ChildJvm.since(from);
    }

    static boolean is(JsonNode sandbox, String status) {
        return status.equals(sandbox.path("status").asText());
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(15))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
