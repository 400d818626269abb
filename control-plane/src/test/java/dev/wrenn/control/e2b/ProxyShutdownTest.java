package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.InMemoryHostAgent;
import dev.wrenn.control.testing.OnBothDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy stops even while a client keeps a stream open that the guest never ends (seen: E2B SDK command
 * streams held {@code wrenn up} past SIGTERM for minutes): the stream is cut and closing returns within the
 * control plane's shutdown deadline.
 */
class ProxyShutdownTest {

    @OnBothDatabases
    @Timeout(60)
    void closingCutsANeverEndingStreamAndReturnsWithinTheDeadline(Database database) throws Exception {
        try (GuestStandIn s = new GuestStandIn(database, new InMemoryHostAgent());
                HttpClient http = HttpClient.newHttpClient()) {
            String id = s.create();
            HttpResponse<InputStream> stream = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.proxy.port() + "/forever"))
                            .header("E2b-Sandbox-Id", id)
                            .header(SandboxProxy.ACCESS_TOKEN_HEADER, InMemoryHostAgent.accessToken(id))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            InputStream body = stream.body();
            assertThat(new String(body.readNBytes(8))).isEqualTo("started\n");

            long start = System.nanoTime();
            s.proxy.close();
            Duration closing = Duration.ofNanos(System.nanoTime() - start);

            assertThat(closing).isLessThan(Duration.ofSeconds(10));
            assertThat(endOf(body))
                    .as("the open stream ends once the proxy is closed")
                    .isTrue();
        }
    }

    /** True once the stream ends, cleanly or cut. */
    private static boolean endOf(InputStream body) {
        try {
            while (body.read() >= 0) {
                // draining whatever was still in flight
            }
            return true;
        } catch (IOException cut) {
            return true;
        }
    }
}
