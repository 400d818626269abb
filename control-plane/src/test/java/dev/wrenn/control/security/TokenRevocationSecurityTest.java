package dev.wrenn.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import org.junit.jupiter.api.Tag;

/**
 * Issue 12 item 11: a stolen user token must stop working when its user logs out or changes the password. A
 * logout revokes the presented token (and only it); a password change revokes every token issued before it.
 */
@Tag("security")
class TokenRevocationSecurityTest {
    private static final String PASSWORD = "first password";

    @OnBothDatabases
    void aLoggedOutTokenIsRefusedEverywhereWhileOtherSessionsStay(TestServer server) {
        server.signup("ada@example.com", PASSWORD);
        String stolen = TestServer.bearer(login(server, PASSWORD));
        String laptop = TestServer.bearer(login(server, PASSWORD));
        assertThat(server.get("/v1/auth/whoami", "Authorization", stolen).status())
                .isEqualTo(200);

        Reply logout = server.post("/v1/auth/logout", "", "Authorization", stolen);

        assertThat(logout.status()).as(logout.body()).isEqualTo(204);
        assertRefused(server.get("/v1/auth/whoami", "Authorization", stolen));
        assertRefused(server.get("/v1/api-keys", "Authorization", stolen));
        assertRefused(server.post("/v1/api-keys", "{}", "Authorization", stolen));
        assertRefused(server.get("/v1/sandboxes", "Authorization", stolen));
        assertRefused(server.post("/v1/auth/logout", "", "Authorization", stolen));
        assertThat(server.get("/v1/auth/whoami", "Authorization", laptop).status())
                .isEqualTo(200);
    }

    @OnBothDatabases
    void tokensFromBeforeAPasswordChangeAreRefused(TestServer server) {
        String signupToken = TestServer.bearer(server.signup("ada@example.com", PASSWORD));
        String stolen = TestServer.bearer(login(server, PASSWORD));

        Reply changed = server.post(
                "/v1/auth/password",
                TestServer.json("current_password", PASSWORD, "new_password", "second password"),
                "Authorization",
                signupToken);

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertRefused(server.get("/v1/auth/whoami", "Authorization", stolen));
        assertRefused(server.get("/v1/auth/whoami", "Authorization", signupToken));
        assertRefused(server.get("/v1/sandboxes", "Authorization", stolen));
        String fresh = TestServer.bearer(changed.json());
        assertThat(server.get("/v1/auth/whoami", "Authorization", fresh).status())
                .isEqualTo(200);
        assertThat(loginReply(server, PASSWORD).status()).isEqualTo(401);
        String next = TestServer.bearer(login(server, "second password"));
        assertThat(server.get("/v1/auth/whoami", "Authorization", next).status())
                .as("a login after the change gets a token of the new generation")
                .isEqualTo(200);
    }

    @OnBothDatabases
    void aStolenTokenCannotChangeThePasswordWithoutTheCurrentOne(TestServer server) {
        String stolen = TestServer.bearer(server.signup("ada@example.com", PASSWORD));

        Reply wrong = server.post(
                "/v1/auth/password",
                TestServer.json("current_password", "a guess", "new_password", "attacker's password"),
                "Authorization",
                stolen);
        Reply missing = server.post(
                "/v1/auth/password", TestServer.json("new_password", "attacker's password"), "Authorization", stolen);

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(loginReply(server, PASSWORD).status()).isEqualTo(200);
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            Reply guess = server.post(
                    "/v1/auth/password",
                    TestServer.json("current_password", "guess " + i, "new_password", "attacker's password"),
                    "Authorization",
                    stolen);
            if (guess.status() == 429) {
                limited++;
            } else {
                assertThat(guess.status()).isEqualTo(401);
            }
        }
        assertThat(limited)
                .as("guesses of the current password are rate limited")
                .isPositive();
    }

    private static void assertRefused(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(401);
        assertThat(reply.errorMessage()).isEqualTo("invalid or expired token");
    }

    private static JsonNode login(TestServer server, String password) {
        Reply reply = loginReply(server, password);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static Reply loginReply(TestServer server, String password) {
        return server.post("/v1/auth/login", TestServer.json("email", "ada@example.com", "password", password));
    }
}
