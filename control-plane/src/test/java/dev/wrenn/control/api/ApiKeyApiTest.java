package dev.wrenn.control.api;

import static dev.wrenn.control.api.AuthApiTest.inParallel;
import static dev.wrenn.control.testing.TestServer.bearer;
import static dev.wrenn.control.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.auth.ApiKeyFormat;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import java.util.ArrayList;
import java.util.List;

class ApiKeyApiTest {

    @OnBothDatabases
    void aNewKeyIsShownOnceAndListedWithoutIt(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");

        Reply created = server.post("/v1/api-keys", json("name", "ci"), "Authorization", bearer(ada));

        assertThat(created.status()).isEqualTo(201);
        JsonNode key = created.json();
        assertThat(key.get("key").asText()).matches("wrn_[0-9a-f]{32}");
        assertThat(key.get("key_prefix").asText())
                .isEqualTo(key.get("key").asText().substring(0, 10));
        assertThat(key.get("id").asText()).matches("key-[0-9a-f]{8}");
        assertThat(key.get("team_id")).isEqualTo(ada.get("team_id"));
        assertThat(key.get("created_by")).isEqualTo(ada.get("user_id"));
        assertThat(key.get("name").asText()).isEqualTo("ci");
        assertThat(key.has("last_used")).isFalse();

        JsonNode list = server.get("/v1/api-keys", "Authorization", bearer(ada)).json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).has("key")).isFalse();
        assertThat(list.get(0).get("id")).isEqualTo(key.get("id"));
        assertThat(list.get(0).get("creator_email").asText()).isEqualTo("ada@example.com");
        assertThat(list.get(0).get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @OnBothDatabases
    void aKeyWithoutANameGetsTheDefaultName(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");

        assertThat(server.post("/v1/api-keys", null, "Authorization", bearer(ada))
                        .json()
                        .get("name")
                        .asText())
                .isEqualTo("Unnamed API Key");
        assertThat(server.post("/v1/api-keys", "{}", "Authorization", bearer(ada))
                        .json()
                        .get("name")
                        .asText())
                .isEqualTo("Unnamed API Key");
    }

    @OnBothDatabases
    void aKeyAuthenticatesAsItsTeamAndRecordsItsUse(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");
        String key = server.post("/v1/api-keys", json("name", "ci"), "Authorization", bearer(ada))
                .json()
                .get("key")
                .asText();

        Reply me = server.get("/v1/auth/whoami", "X-API-Key", key);

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("team_id")).isEqualTo(ada.get("team_id"));
        assertThat(me.json().get("via").asText()).isEqualTo("api_key");
        assertThat(me.json().has("user_id")).isFalse();
        JsonNode listed =
                server.get("/v1/api-keys", "Authorization", bearer(ada)).json().get(0);
        assertThat(listed.get("last_used").asText()).matches("\\d{4}-.*Z");
    }

    @OnBothDatabases
    void anUnknownOrMalformedKeyIsRefusedEvenWithAValidToken(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");
        String unknown = ApiKeyFormat.generate().plaintext();

        for (String key : List.of(unknown, "wrn_short", "' OR '1'='1", "")) {
            Reply reply = server.get("/v1/auth/whoami", "X-API-Key", key, "Authorization", bearer(ada));
            assertThat(reply.status()).as(key).isEqualTo(401);
            assertThat(reply.errorMessage()).isEqualTo("invalid API key");
        }
    }

    @OnBothDatabases
    void keysCannotManageKeys(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");
        String key = server.post("/v1/api-keys", null, "Authorization", bearer(ada))
                .json()
                .get("key")
                .asText();

        assertThat(server.post("/v1/api-keys", null, "X-API-Key", key).status()).isEqualTo(401);
        assertThat(server.get("/v1/api-keys", "X-API-Key", key).status()).isEqualTo(401);
    }

    @OnBothDatabases
    void aDeletedKeyStopsWorkingAndCannotBeDeletedTwice(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");
        JsonNode key =
                server.post("/v1/api-keys", null, "Authorization", bearer(ada)).json();

        Reply deleted = server.delete("/v1/api-keys/" + key.get("id").asText(), "Authorization", bearer(ada));
        Reply again = server.delete("/v1/api-keys/" + key.get("id").asText(), "Authorization", bearer(ada));

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("not_found");
        assertThat(again.errorMessage()).isEqualTo("API key " + key.get("id").asText() + " not found");
        assertThat(server.get("/v1/auth/whoami", "X-API-Key", key.get("key").asText())
                        .status())
                .isEqualTo(401);
    }

    @OnBothDatabases
    void anotherTeamsKeyIsInvisibleAndCannotBeDeleted(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");
        JsonNode bob = server.signup("bob@example.com", "correct horse");
        JsonNode adasKey = server.post("/v1/api-keys", json("name", "ada's"), "Authorization", bearer(ada))
                .json();

        Reply bobDeletes = server.delete("/v1/api-keys/" + adasKey.get("id").asText(), "Authorization", bearer(bob));

        assertThat(bobDeletes.status()).isEqualTo(404);
        assertThat(bobDeletes.errorCode()).isEqualTo("not_found");
        assertThat(server.get("/v1/api-keys", "Authorization", bearer(bob)).json())
                .isEmpty();
        assertThat(server.get("/v1/api-keys", "Authorization", bearer(ada)).json())
                .hasSize(1);
        assertThat(server.get("/v1/auth/whoami", "X-API-Key", adasKey.get("key").asText())
                        .json()
                        .get("team_id"))
                .isEqualTo(ada.get("team_id"));
    }

    @OnBothDatabases
    void sqlMetacharactersInNamesAndIdsAreHarmless(TestServer server) {
        JsonNode ada = server.signup("o'brien\";DROP/**/TABLE/**/users;--@example.com", "p'; DROP TABLE teams;--");
        List<String> names = List.of(
                "'; DROP TABLE team_api_keys; --",
                "\" OR 1=1 --",
                "100% _match_ \\ ünï 🙂",
                "Robert'); DELETE FROM users;--");
        for (String name : names) {
            assertThat(server.post("/v1/api-keys", json("name", name), "Authorization", bearer(ada))
                            .status())
                    .isEqualTo(201);
        }

        JsonNode list = server.get("/v1/api-keys", "Authorization", bearer(ada)).json();
        List<String> listed = new ArrayList<>();
        list.forEach(k -> listed.add(k.get("name").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(names);
        assertThat(server.delete("/v1/api-keys/x'%20OR%20'1'='1", "Authorization", bearer(ada))
                        .status())
                .isEqualTo(404);
        assertThat(server.get("/v1/api-keys", "Authorization", bearer(ada)).json())
                .hasSize(names.size());
        assertThat(server.post(
                                "/v1/auth/login",
                                json(
                                        "email",
                                        "o'brien\";DROP/**/TABLE/**/users;--@example.com",
                                        "password",
                                        "p'; DROP TABLE teams;--"))
                        .status())
                .isEqualTo(200);
    }

    @OnBothDatabases
    void badNamesAreRefused(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");

        AuthApiTest.assertInvalid(
                server.post("/v1/api-keys", json("name", "x".repeat(201)), "Authorization", bearer(ada)), "200");
        AuthApiTest.assertInvalid(
                server.post("/v1/api-keys", json("name", "nul\u0000byte"), "Authorization", bearer(ada)), "control");
        AuthApiTest.assertInvalid(
                server.post("/v1/api-keys", "{\"name\": 42}", "Authorization", bearer(ada)), "'name' must be a string");
    }

    @OnBothDatabases
    void fiftyParallelCreatesAreAllKeptAndFiftyParallelDeletesRemoveThemAll(TestServer server) throws Exception {
        JsonNode ada = server.signup("ada@example.com", "correct horse");

        List<Reply> created = inParallel(
                50, i -> server.post("/v1/api-keys", json("name", "key " + i), "Authorization", bearer(ada)));
        assertThat(created).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));

        JsonNode list = server.get("/v1/api-keys", "Authorization", bearer(ada)).json();
        assertThat(list).hasSize(50);
        List<String> keys =
                created.stream().map(r -> r.json().get("key").asText()).toList();
        List<Integer> uses = inParallel(
                50, i -> server.get("/v1/auth/whoami", "X-API-Key", keys.get(i)).status());
        assertThat(uses).containsOnly(200);

        List<Integer> deletes = inParallel(
                50,
                i -> server.delete(
                                "/v1/api-keys/"
                                        + created.get(i).json().get("id").asText(),
                                "Authorization",
                                bearer(ada))
                        .status());
        assertThat(deletes).containsOnly(204);
        assertThat(server.get("/v1/api-keys", "Authorization", bearer(ada)).json())
                .isEmpty();
    }
}
