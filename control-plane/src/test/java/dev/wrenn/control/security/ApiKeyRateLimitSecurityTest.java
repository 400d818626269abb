package dev.wrenn.control.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;

/**
 * Issue 12 item 7: guessing API keys is cut off with 429 and a Retry-After, per client address and per key prefix
 * (a guesser aiming at one key whose shown prefix it saw), before more keys are looked up.
 */
@Tag("security")
class ApiKeyRateLimitSecurityTest {

    @OnBothDatabases
    void aBurstOfWrongKeysFromOneAddressGets429WithRetryAfter(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            int limited = 0;
            for (int i = 0; i < 45; i++) {
                HttpResponse<String> answer = withKey(api, randomKey());
                if (answer.statusCode() == 429) {
                    limited++;
                    assertThat(answer.body()).contains("\"code\":\"rate_limited\"");
                    assertThat(answer.headers().firstValue("Retry-After").map(Long::parseLong))
                            .hasValueSatisfying(seconds -> assertThat(seconds).isPositive());
                } else {
                    assertThat(answer.statusCode()).isEqualTo(401);
                }
            }
            assertThat(limited).isGreaterThanOrEqualTo(10);
            // The address is refused before any lookup, the right key included, until the bucket refills.
            assertThat(withKey(api, api.adaKey).statusCode()).isEqualTo(429);
        }
    }

    @OnBothDatabases
    void guessingTheRestOfOneKeysPrefixGets429BeforeTheAddressLimit(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String prefix = api.adaKey.substring(0, 10);
            int firstRefusal = -1;
            for (int i = 0; i < 15 && firstRefusal < 0; i++) {
                String guess = prefix + randomKey().substring(10);
                if (withKey(api, guess).statusCode() == 429) {
                    firstRefusal = i;
                }
            }
            assertThat(firstRefusal)
                    .as("the 11th guess at one prefix is refused")
                    .isEqualTo(10);
            assertThat(withKey(api, api.adaKey).statusCode())
                    .as("the real key of that prefix waits too: the guesser learns nothing")
                    .isEqualTo(429);
            assertThat(withKey(api, randomKey()).statusCode())
                    .as("another prefix from the same address is still only checked")
                    .isEqualTo(401);
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "wrn_" + HexFormat.of().formatHex(bytes);
    }

    private static HttpResponse<String> withKey(SandboxFixture api, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(api.server.uri("/v1/sandboxes"))
                .header("X-API-Key", key)
                .GET()
                .build();
        return api.server.http().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
