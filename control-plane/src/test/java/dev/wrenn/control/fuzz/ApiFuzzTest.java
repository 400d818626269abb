package dev.wrenn.control.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * API fuzzing driven by the OpenAPI description: every operation it lists (the /v1 routes and the E2B routes), with
 * hostile path IDs, query values, bodies (wrong types, missing and extra fields, huge, negative and non-UTF-8
 * values, not JSON at all) and credentials (none, garbage, another team's). Every answer must be below 500; every
 * refusal a 4xx with a JSON message; a refused request must leave the database as it was; the server must still
 * serve at the end. The number of requests is jqwik's {@code jqwik.tries.default} (1,000 unless set: the long
 * campaign is {@code -Djqwik.tries.default=50000}, see docs/reliability.md).
 */
class ApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiDescription API = ApiDescription.load();

    private static Path dir;
    private static Database database;
    private static SandboxFixture fixture;
    private static String adaSandbox;
    private static String bobSandbox;
    private static String adaTemplate;
    private static String adaE2bKey;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("wrenn-fuzz-");
        database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("fuzz.db")));
        fixture = SandboxFixture.start(database);
        adaSandbox = fixture.createRunningForAda();
        bobSandbox = fixture.server
                .post("/v1/sandboxes", "{}", fixture.bobByToken())
                .json()
                .get("id")
                .asText();
        String snapshotOf = fixture.createRunningForAda();
        adaTemplate = fixture.server
                .post(
                        "/v1/snapshots",
                        "{\"sandbox_id\":\"" + snapshotOf + "\",\"name\":\"fuzz-env\"}",
                        fixture.adaByKey())
                .json()
                .path("name")
                .asText("fuzz-env");
        adaE2bKey = fixture.server
                .post("/v1/api-keys", "{\"name\":\"fuzz\",\"format\":\"e2b\"}", fixture.adaByToken())
                .json()
                .get("key")
                .asText();
    }

    @AfterContainer
    static void stop() {
        try {
            assertThat(fixture.server.get("/healthz").status())
                    .as("the server still serves after the fuzzing")
                    .isEqualTo(200);
        } finally {
            fixture.close();
            database.close();
            deleteTree(dir);
        }
    }

    @Property
    void everyAnswerIsBelow500AndEveryRefusalIsAClear4xxThatChangedNothing(@ForAll("requests") FuzzRequest request)
            throws Exception {
        Map<String, List<String>> before = DatabaseState.of(database);

        HttpResponse<String> response = send(request);

        int status = response.statusCode();
        Statistics.label("answers").collect(status / 100 + "xx");
        assertThat(status)
                .as("%s answered %d: %s", request, status, response.body())
                .isLessThan(500);
        if (status >= 400) {
            assertThat(messageOf(response))
                    .as("%s answered %d without a JSON message: %s", request, status, response.body())
                    .isNotBlank();
            assertThat(DatabaseState.of(database))
                    .as("%s was refused (%d) but changed the database", request, status)
                    .isEqualTo(before);
        }
    }

    @Provide
    Arbitrary<FuzzRequest> requests() {
        return Arbitraries.of(API.operations())
                .flatMap(operation -> Combinators.combine(path(operation), body(operation), credentials())
                        .as((path, body, headers) ->
                                new FuzzRequest(operation.method(), path, body.bytes(), body.contentType(), headers)));
    }

    private Arbitrary<String> path(ApiDescription.Operation operation) {
        List<Arbitrary<String>> parts = new ArrayList<>();
        for (String segment : operation.path().split("/", -1)) {
            parts.add(segment.startsWith("{") ? pathValue() : Arbitraries.just(segment));
        }
        Arbitrary<String> joined = Combinators.combine(parts).as(values -> String.join("/", values));
        if (operation.queryParameters().isEmpty()) {
            return joined;
        }
        Arbitrary<String> query = Combinators.combine(
                        Arbitraries.of(operation.queryParameters()), HostileValues.strings())
                .as((name, value) -> "?" + name + "=" + PercentEncoding.encode(value, false));
        return Combinators.combine(joined, query.injectNull(0.3)).as((p, q) -> q == null ? p : p + q);
    }

    /** An ID of Ada's (the caller's, usually), of Bob's (another team), or something hostile. */
    private Arbitrary<String> pathValue() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(adaSandbox, adaTemplate, "base")),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(bobSandbox)),
                net.jqwik.api.Tuple.of(
                        6,
                        Combinators.combine(HostileValues.strings(), Arbitraries.of(true, false))
                                .as(PercentEncoding::encode)));
    }

    private Arbitrary<Body> body(ApiDescription.Operation operation) {
        Arbitrary<Body> broken = Arbitraries.oneOf(
                Arbitraries.of(HostileValues.NOT_JSON).map(Body::json),
                Arbitraries.just(new Body(
                        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'},
                        "application/json")),
                Arbitraries.just(new Body(new byte[] {(byte) 0xc3, 0x28, (byte) 0xa0, (byte) 0xa1}, "text/plain")),
                Arbitraries.just(new Body(null, null)));
        if (operation.bodySchema() == null) {
            return Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(3, Arbitraries.just(new Body(null, null))),
                    net.jqwik.api.Tuple.of(1, broken));
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        5,
                        objectFor(ApiDescription.resolve(API.root(), operation.bodySchema()))
                                .map(Body::json)),
                net.jqwik.api.Tuple.of(1, broken),
                net.jqwik.api.Tuple.of(1, HostileValues.jsonValues().map(Body::json)));
    }

    /** A JSON object with the schema's fields, each left out, plausible, or hostile, and sometimes an extra one. */
    private Arbitrary<String> objectFor(JsonNode schema) {
        List<Arbitrary<String>> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        schema.path("properties").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String name = HostileValues.quoted(property.getKey());
            Arbitrary<String> value = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(
                            3, Arbitraries.just(plausible(ApiDescription.resolve(API.root(), property.getValue())))),
                    net.jqwik.api.Tuple.of(3, HostileValues.jsonValues()));
            fields.add(value.map(v -> name + ":" + v).injectNull(0.25));
        }
        fields.add(Combinators.combine(HostileValues.strings(), HostileValues.jsonValues())
                .as((k, v) -> HostileValues.quoted(k) + ":" + v)
                .injectNull(0.7));
        return Combinators.combine(fields)
                .as(values -> "{"
                        + String.join(
                                ",", values.stream().filter(v -> v != null).toList()) + "}");
    }

    private String plausible(JsonNode schema) {
        if (schema.has("example")) {
            return schema.get("example").toString();
        }
        if (schema.has("default")) {
            return schema.get("default").toString();
        }
        return switch (schema.path("type").asText()) {
            case "integer", "number" -> "1";
            case "boolean" -> "true";
            case "array" -> "[]";
            case "object" -> "{}";
            default -> "\"" + adaSandbox + "\"";
        };
    }

    private Arbitrary<List<String>> credentials() {
        return Arbitraries.of(
                List.of("X-API-Key", fixture.adaKey),
                List.of("Authorization", TestServer.bearer(fixture.ada)),
                List.of("X-API-Key", adaE2bKey),
                List.of("Authorization", TestServer.bearer(fixture.bob)),
                List.of(),
                List.of("X-API-Key", "wrn_0000000000000000000000000000000000000000"),
                List.of("X-API-Key", "e2b_" + "0".repeat(40)),
                List.of("X-API-Key", ""),
                List.of("Authorization", "Bearer not.a.jwt"),
                List.of("Authorization", "Bearer "),
                List.of("Authorization", "Basic cm9vdDo="),
                List.of("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."));
    }

    private static HttpResponse<String> send(FuzzRequest request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(fixture.server.uri("/") + request.path().substring(1)))
                .timeout(Duration.ofSeconds(30))
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        for (int i = 0; i + 1 < request.headers().size(); i += 2) {
            builder.header(request.headers().get(i), request.headers().get(i + 1));
        }
        // A fresh connection per request: Jetty closes a connection after some refusals, and a pooled client can
        // race that close and read nothing, which would blame the server for the client's reuse.
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The message of a /v1 error ({@code error.message}) or of an E2B error ({@code message}); "" when neither. */
    private static String messageOf(HttpResponse<String> response) {
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            return "";
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.path("error")
                    .path("message")
                    .asText(body.path("message").asText(""));
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("removing " + root, e);
        }
    }

    record Body(byte[] bytes, String contentType) {
        static Body json(String text) {
            return new Body(text.getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }
}
