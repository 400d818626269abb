package dev.wrenn.control.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.control.ControlPlaneApp;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.config.SignupMode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.enrollment.EnrollmentService;
import dev.wrenn.control.hosts.HostAgentClient;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** The whole control plane on a random loopback port, with a fake host agent, and a small client for it. */
public final class TestServer implements AutoCloseable {
    public static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final HostAgentClient hostAgent;
    private final HttpClient http;
    private final URI base;

    private TestServer(Javalin app, HostAgentClient hostAgent) {
        this.app = app;
        this.hostAgent = hostAgent;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.base = URI.create("http://127.0.0.1:" + app.port());
    }

    static TestServer start(Database database, Path dataDir) {
        return start(database, new FakeHostAgent(), config(dataDir));
    }

    /** The app over {@code database} with the given host agent (a fake, or a client of a real one) and config. */
    public static TestServer start(Database database, HostAgentClient hostAgent, Config config) {
        return new TestServer(
                ControlPlaneApp.create(config, database, hostAgent).start("127.0.0.1", 0), hostAgent);
    }

    /** The same with host enrollment, on {@code clock} ({@link EnrollmentService}). */
    public static TestServer startWithEnrollment(
            Database database, Config config, java.time.Clock clock, EnrollmentService enrollment) {
        FakeHostAgent hostAgent = new FakeHostAgent();
        return new TestServer(
                ControlPlaneApp.create(config, database, hostAgent, clock, enrollment)
                        .start("127.0.0.1", 0),
                hostAgent);
    }

    /**
     * The config API tests run with: bcrypt at its lowest cost, a fixed JWT secret, and signup open, since most tests
     * need several accounts (the signup modes have their own tests, with {@link #config(Path, SignupMode)}).
     */
    public static Config config(Path dataDir) {
        return config(dataDir, Config.DEFAULT_MAX_UPLOAD_BYTES);
    }

    public static Config config(Path dataDir, long maxUploadBytes) {
        return config(dataDir, maxUploadBytes, SignupMode.OPEN);
    }

    public static Config config(Path dataDir, SignupMode signup) {
        return config(dataDir, Config.DEFAULT_MAX_UPLOAD_BYTES, signup);
    }

    private static Config config(Path dataDir, long maxUploadBytes, SignupMode signup) {
        return new Config(
                dataDir,
                "127.0.0.1",
                0,
                new DatabaseSettings.Sqlite(dataDir.resolve("unused.db")),
                JWT_SECRET,
                "127.0.0.1:1",
                maxUploadBytes,
                4,
                0,
                signup);
    }

    public Javalin app() {
        return app;
    }

    public HostAgentClient hostAgent() {
        return hostAgent;
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    public Reply get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Reply post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    /** A POST whose body is raw bytes with the given content type. */
    public Reply postBytes(String path, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return exchange(request.build(), "POST " + path);
    }

    /** Like {@link #post} but keeps the answer's bytes (for file downloads). */
    public BinaryReply postForBytes(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new BinaryReply(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("POST " + path + " interrupted", e);
        }
    }

    public HttpClient http() {
        return http;
    }

    private Reply exchange(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(what + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    public Reply delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** {@code headers} are name, value pairs. */
    public Reply send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    /**
     * Signs up, then logs in (signup answers no token, so that it cannot reveal registered emails), and returns the
     * login's JSON ({@code token}, {@code user_id}, {@code team_id}, {@code email}).
     */
    public JsonNode signup(String email, String password) {
        Reply reply = post("/v1/auth/signup", json("email", email, "password", password));
        if (reply.status() != 202) {
            throw new AssertionError("signup of " + email + " answered " + reply.status() + ": " + reply.body());
        }
        return login(email, password);
    }

    /** Logs in and returns the answer's JSON ({@code token}, {@code user_id}, {@code team_id}, {@code email}). */
    public JsonNode login(String email, String password) {
        Reply reply = post("/v1/auth/login", json("email", email, "password", password));
        if (reply.status() != 200) {
            throw new AssertionError("login of " + email + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.json();
    }

    public static String bearer(JsonNode auth) {
        return "Bearer " + auth.get("token").asText();
    }

    /** A JSON object from name, value pairs (values as strings). */
    public static String json(String... pairs) {
        var node = JSON.createObjectNode();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node.toString();
    }

    @Override
    public void close() {
        app.stop();
        hostAgent.close();
    }

    /** An HTTP answer with a binary body. */
    public record BinaryReply(int status, byte[] body, String contentType) {
        public Reply asText() {
            return new Reply(status, new String(body, java.nio.charset.StandardCharsets.UTF_8), contentType);
        }
    }

    /** An HTTP answer. */
    public record Reply(int status, String body, String contentType) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("answer is not JSON (" + status + "): " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText(null);
        }

        public String errorMessage() {
            return json().path("error").path("message").asText(null);
        }
    }
}
