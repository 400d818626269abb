package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Timeout;

/**
 * A sandbox's requests in flight through the proxy are bounded: one more is a clear 429 with {@code Retry-After} and
 * a message (never a 502, which E2B's SDKs read as "the sandbox is gone"), and a slot freed serves the next.
 */
class ProxyBackpressureTest {

    @OnBothDatabases
    @Timeout(60)
    void requestsBeyondTheSandboxsBoundAreRefusedWith429AndRetryAfter(Database database) throws Exception {
        try (GuestStandIn s = new GuestStandIn(database, new InMemoryHostAgent(), 2);
                HttpClient http = HttpClient.newHttpClient()) {
            String id = s.create();
            InputStream first = open(http, s, id, "/forever");
            InputStream second = open(http, s, id, "/forever");

            HttpResponse<String> refused = http.send(request(s, id, "/health"), HttpResponse.BodyHandlers.ofString());

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.body())
                    .contains("\"code\":429")
                    .contains("sandbox " + id + " already has 2 requests in flight through the proxy");

            s.foreverReleased.countDown();
            first.readAllBytes();
            second.readAllBytes();
            HttpResponse<String> served = http.send(request(s, id, "/health"), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(204);
        }
    }

    private static InputStream open(HttpClient http, GuestStandIn s, String id, String path) throws Exception {
        HttpResponse<InputStream> stream = http.send(request(s, id, path), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        InputStream body = stream.body();
        assertThat(new String(body.readNBytes(8))).isEqualTo("started\n");
        return body;
    }

    private static HttpRequest request(GuestStandIn s, String id, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.proxy.port() + path))
                .header("E2b-Sandbox-Id", id)
                .header(SandboxProxy.ACCESS_TOKEN_HEADER, InMemoryHostAgent.accessToken(id))
                .build();
    }
}
