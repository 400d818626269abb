package dev.wrenn.control.api;

import static dev.wrenn.control.testing.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.auth.JwtService;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

class TokenApiTest {

    @OnBothDatabases
    void aRequestWithoutATokenIsToldWhatToSend(TestServer server) {
        Reply reply = server.get("/v1/api-keys");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo("unauthorized");
        assertThat(reply.errorMessage()).isEqualTo("Authorization: Bearer <token> required");
        assertThat(server.get("/v1/api-keys", "Authorization", "Basic abc").errorMessage())
                .isEqualTo("Authorization: Bearer <token> required");
        assertThat(server.get("/v1/auth/whoami").errorMessage())
                .isEqualTo("X-API-Key or Authorization: Bearer <token> required");
    }

    @OnBothDatabases
    void anExpiredTokenIsRefused(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");
        Clock sevenHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(7)), ZoneOffset.UTC);
        String expired = new JwtService(TestServer.JWT_SECRET, sevenHoursAgo)
                .issue(ada.get("user_id").asText(), ada.get("team_id").asText(), "ada@example.com");

        assertRefused(server.get("/v1/api-keys", "Authorization", "Bearer " + expired));
    }

    @OnBothDatabases
    void aTokenWhosePayloadWasChangedIsRefused(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");
        JsonNode bob = server.signup("bob@example.com", "correct horse");
        String[] parts = ada.get("token").asText().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged =
                payload.replace(ada.get("team_id").asText(), bob.get("team_id").asText());
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes()) + "." + parts[2];

        assertRefused(server.get("/v1/api-keys", "Authorization", "Bearer " + tampered));
        assertThat(server.get("/v1/api-keys", "Authorization", bearer(ada)).status())
                .isEqualTo(200);
    }

    @OnBothDatabases
    void aTokenSignedWithAnotherSecretOrUnsignedIsRefused(TestServer server) {
        JsonNode ada = server.signup("ada@example.com", "correct horse");
        String otherSecret = new JwtService("another-secret-another-secret-another-1", Clock.systemUTC())
                .issue(ada.get("user_id").asText(), ada.get("team_id").asText(), "ada@example.com");
        String[] parts = ada.get("token").asText().split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());

        assertRefused(server.get("/v1/api-keys", "Authorization", "Bearer " + otherSecret));
        assertRefused(server.get("/v1/api-keys", "Authorization", "Bearer " + none + "." + parts[1] + "."));
        assertRefused(server.get("/v1/api-keys", "Authorization", "Bearer not-a-jwt"));
    }

    private static void assertRefused(Reply reply) {
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo("unauthorized");
        assertThat(reply.errorMessage()).isEqualTo("invalid or expired token");
    }
}
