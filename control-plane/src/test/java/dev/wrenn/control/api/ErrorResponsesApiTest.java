package dev.wrenn.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;

class ErrorResponsesApiTest {

    @OnBothDatabases
    void anUnknownRouteIsAJsonNotFound(TestServer server) {
        Reply reply = server.get("/v1/nothing-here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.errorCode()).isEqualTo("not_found");
        assertThat(reply.errorMessage()).isEqualTo("no route for GET /v1/nothing-here");
    }

    @OnBothDatabases
    void aKnownPathWithAnotherMethodIsAJsonNotFound(TestServer server) {
        Reply reply = server.send("PUT", "/v1/api-keys", "{}");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("not_found");
    }

    @OnBothDatabases
    void anOversizedJsonBodyIsTooLarge(TestServer server) {
        String huge = "{\"email\":\"" + "a".repeat((int) HttpApi.MAX_JSON_BODY_BYTES)
                + "@x.io\",\"password\":\"long enough\"}";

        Reply reply = server.post("/v1/auth/signup", huge);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.errorCode()).isEqualTo("too_large");
    }
}
