package dev.wrenn.control.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.ControlPlaneApp;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.hosts.HostAgentClient;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The whole control plane over a test's database with a host agent the test chooses, plus what the console's tests
 * need: users, sandbox rows in a given status, and plain HTTP calls.
 */
public final class ConsoleServer implements AutoCloseable {
    private final Javalin app;
    private final Database database;
    private final Path dataDir;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ConsoleServer(Javalin app, Database database, Path dataDir) {
        this.app = app;
        this.database = database;
        this.dataDir = dataDir;
    }

    public static ConsoleServer start(Database database, HostAgentClient hostAgent) {
        try {
            Path dataDir = Files.createTempDirectory("wrenn-console-test-");
            Javalin app = ControlPlaneApp.create(TestServer.config(dataDir), database, hostAgent)
                    .start("127.0.0.1", 0);
            return new ConsoleServer(app, database, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating a temp dir for the console's test server", e);
        }
    }

    public int port() {
        return app.port();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    /** Signs up, logs in and returns the login's answer ({@code token}, {@code team_id}, ...). */
    public JsonNode signup(String email) {
        String credentials = TestServer.json("email", email, "password", "correct horse battery");
        TestServer.Reply reply = send("POST", "/v1/auth/signup", credentials);
        if (reply.status() != 202) {
            throw new AssertionError("signup of " + email + " answered " + reply.status() + ": " + reply.body());
        }
        TestServer.Reply login = send("POST", "/v1/auth/login", credentials);
        if (login.status() != 200) {
            throw new AssertionError("login of " + email + " answered " + login.status() + ": " + login.body());
        }
        return login.json();
    }

    /** A sandbox row of {@code teamId} in {@code status}, as the sandbox routes would have left it. */
    public String sandbox(String teamId, String id, SandboxStatus status) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        new SandboxRepository(database)
                .insert(new Sandbox(
                        id,
                        teamId,
                        "default",
                        "base",
                        status,
                        1,
                        512,
                        0,
                        "10.11.0.1",
                        Map.of(),
                        null,
                        now,
                        now,
                        now,
                        now));
        return id;
    }

    public TestServer.Reply get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public TestServer.Reply send(String method, String path, String body, String... headers) {
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
            return new TestServer.Reply(
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

    public HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        app.stop();
        PostgresCluster.deleteTree(dataDir);
    }
}
