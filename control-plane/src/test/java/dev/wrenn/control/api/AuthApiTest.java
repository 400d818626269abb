package dev.wrenn.control.api;

import static dev.wrenn.control.testing.TestServer.bearer;
import static dev.wrenn.control.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

class AuthApiTest {

    @OnBothDatabases
    void signupCreatesAUserWithItsOwnTeamThatLogsIn(TestServer server) {
        Reply reply = server.post("/v1/auth/signup", json("email", "  Ada@Example.COM ", "password", "correct horse"));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.json().get("email").asText()).isEqualTo("ada@example.com");
        assertThat(reply.json().has("token")).isFalse();
        JsonNode body = server.login("ada@example.com", "correct horse");
        assertThat(body.get("user_id").asText()).matches("usr-[0-9a-f]{8}");
        assertThat(body.get("team_id").asText()).matches("team-[0-9a-f]{8}");

        JsonNode me =
                server.get("/v1/auth/whoami", "Authorization", bearer(body)).json();
        assertThat(me.get("team_id").asText()).isEqualTo(body.get("team_id").asText());
        assertThat(me.get("user_id").asText()).isEqualTo(body.get("user_id").asText());
        assertThat(me.get("via").asText()).isEqualTo("jwt");
    }

    @OnBothDatabases
    void loginReturnsATokenForTheSameUserAndTeam(TestServer server) {
        JsonNode signup = server.signup("ada@example.com", "correct horse");

        Reply login = server.post("/v1/auth/login", json("email", "ADA@example.com ", "password", "correct horse"));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("user_id")).isEqualTo(signup.get("user_id"));
        assertThat(login.json().get("team_id")).isEqualTo(signup.get("team_id"));
        assertThat(server.get("/v1/auth/whoami", "Authorization", bearer(login.json()))
                        .status())
                .isEqualTo(200);
    }

    @OnBothDatabases
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer(TestServer server) {
        server.signup("ada@example.com", "correct horse");

        Reply wrongPassword =
                server.post("/v1/auth/login", json("email", "ada@example.com", "password", "wrong horse"));
        Reply unknownEmail =
                server.post("/v1/auth/login", json("email", "bob@example.com", "password", "correct horse"));

        for (Reply reply : List.of(wrongPassword, unknownEmail)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.errorCode()).isEqualTo("unauthorized");
            assertThat(reply.errorMessage()).isEqualTo("invalid email or password");
        }
    }

    @OnBothDatabases
    void signingUpARegisteredEmailAgainChangesNothing(TestServer server) {
        JsonNode first = server.signup("ada@example.com", "correct horse");

        Reply again = server.post("/v1/auth/signup", json("email", " ADA@example.com", "password", "another one"));

        assertThat(again.status()).isEqualTo(202);
        assertThat(server.login("ada@example.com", "correct horse").get("user_id"))
                .isEqualTo(first.get("user_id"));
        assertThat(server.post("/v1/auth/login", json("email", "ada@example.com", "password", "another one"))
                        .status())
                .isEqualTo(401);
    }

    @OnBothDatabases
    void invalidSignupsAreRefusedWithAMessage(TestServer server) {
        assertInvalid(server.post("/v1/auth/signup", json("email", "no-at-sign", "password", "long enough")), "'@'");
        assertInvalid(server.post("/v1/auth/signup", json("email", "@", "password", "long enough")), "'@'");
        assertInvalid(server.post("/v1/auth/signup", json("email", "a@b.c", "password", "short")), "8 characters");
        assertInvalid(server.post("/v1/auth/signup", json("email", "a@b.c")), "8 characters");
        assertInvalid(server.post("/v1/auth/signup", json("email", "a b@c.d", "password", "long enough")), "spaces");
        assertInvalid(server.post("/v1/auth/signup", json("email", "a@b.c", "password", "x".repeat(73))), "72 bytes");
        assertInvalid(server.post("/v1/auth/login", json("email", "a@b.c")), "required");
    }

    @OnBothDatabases
    void malformedOrMistypedBodiesAreRefusedWithAMessage(TestServer server) {
        assertInvalid(server.post("/v1/auth/signup", "{\"email\": "), "malformed JSON");
        assertInvalid(
                server.post("/v1/auth/signup", "{\"email\": 5, \"password\": \"long enough\"}"),
                "'email' must be a string");
        assertInvalid(
                server.post("/v1/auth/signup", "{\"email\": \"a@b.c\", \"password\": true}"),
                "'password' must be a string");
        assertInvalid(server.post("/v1/auth/signup", "[1, 2]"), "JSON object");
        assertInvalid(server.post("/v1/auth/signup", "null"), "JSON object");
        assertInvalid(server.post("/v1/auth/signup", ""), "JSON object");
        assertInvalid(server.post("/v1/auth/signup", "{} {}"), "");
    }

    @OnBothDatabases
    void fiftyParallelSignupsAllSucceedWithTheirOwnTeams(TestServer server) throws Exception {
        List<JsonNode> results = inParallel(
                50,
                i -> server.post(
                                "/v1/auth/signup",
                                json("email", "user" + i + "@example.com", "password", "password " + i))
                        .json());

        assertThat(results).allSatisfy(r -> assertThat(r.has("email")).isTrue());
        List<String> teams = IntStream.range(0, 50)
                .mapToObj(i -> server.login("user" + i + "@example.com", "password " + i)
                        .get("team_id")
                        .asText())
                .toList();
        assertThat(teams.stream().distinct()).hasSize(50);
    }

    @OnBothDatabases
    void parallelSignupsOfOneEmailCreateExactlyOneAccount(TestServer server, Database database) throws Exception {
        List<Integer> statuses = inParallel(
                20,
                i -> server.post("/v1/auth/signup", json("email", "same@example.com", "password", "password " + i))
                        .status());

        assertThat(statuses).containsOnly(202);
        long accounts = database.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE email = 'same@example.com'")
                        .mapTo(Long.class)
                        .one());
        assertThat(accounts).isEqualTo(1L);
    }

    static void assertInvalid(Reply reply, String messagePart) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_request");
        assertThat(reply.errorMessage()).contains(messagePart);
    }

    static <T> List<T> inParallel(int count, IndexedCall<T> call) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<T>> futures = IntStream.range(0, count)
                    .mapToObj(i -> pool.submit((Callable<T>) () -> call.run(i)))
                    .toList();
            List<T> results = new java.util.ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    @FunctionalInterface
    interface IndexedCall<T> {
        T run(int index) throws Exception;
    }
}
