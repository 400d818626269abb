package dev.wrenn.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;

/** Password guessing: a burst of wrong logins is cut off with 429 and a Retry-After, before any more bcrypt work. */
@Tag("security")
class LoginRateLimitSecurityTest {

    @OnBothDatabases
    void aBurstOfWrongLoginsForOneAccountGets429WithRetryAfter(TestServer server) throws Exception {
        server.signup("victim@example.com", "the real password");
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 8; i++) {
                answers.add(login(http, server, "victim@example.com", "guess number " + i));
            }
            HttpResponse<String> rightPasswordWhileLocked =
                    login(http, server, "victim@example.com", "the real password");

            assertThat(answers.subList(0, 5))
                    .allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(401));
            assertThat(answers.subList(5, 8)).allSatisfy(a -> {
                assertThat(a.statusCode()).isEqualTo(429);
                assertThat(a.body()).contains("\"code\":\"rate_limited\"");
                assertThat(a.headers().firstValue("Retry-After").map(Long::parseLong))
                        .hasValueSatisfying(seconds -> assertThat(seconds).isPositive());
            });
            // Even the right password is refused while the account is locked: the guesser learns nothing.
            assertThat(rightPasswordWhileLocked.statusCode()).isEqualTo(429);
        }
    }

    @OnBothDatabases
    void aBurstOfLoginsFromOneAddressAcrossManyAccountsGets429(TestServer server) throws Exception {
        int limited = 0;
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 80; i++) {
                HttpResponse<String> answer = login(http, server, "user" + i + "@example.com", "some password");
                if (answer.statusCode() == 429) {
                    limited++;
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                } else {
                    assertThat(answer.statusCode()).isEqualTo(401);
                }
            }
        }
        assertThat(limited).isGreaterThanOrEqualTo(10);
    }

    private static HttpResponse<String> login(HttpClient http, TestServer server, String email, String password)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.json("email", email, "password", password)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
