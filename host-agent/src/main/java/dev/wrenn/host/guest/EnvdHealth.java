package dev.wrenn.host.guest;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.net.Ipv4;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Readiness as the guest agent reports it: {@code GET http://<host IP>:49983/health} answering 200 or 204. */
public final class EnvdHealth implements GuestReadiness {
    public static final int PORT = 49983;
    private static final Duration POLL = Duration.ofMillis(20);
    // Before the guest's NIC is up a SYN is silently dropped: a short connect timeout keeps polling fine-grained.
    private static final Duration ATTEMPT = Duration.ofMillis(250);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(ATTEMPT).build();
    private final int port;

    public EnvdHealth() {
        this(PORT);
    }

    /** Asks a guest agent on another port (tests). */
    public EnvdHealth(int port) {
        this.port = port;
    }

    @Override
    public void await(Ipv4 hostIp, Duration timeout) {
        URI health = URI.create("http://" + hostIp + ":" + port + "/health");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers(health)) {
                return;
            }
            sleep();
        }
        throw new HostAgentException(
                ErrorCode.DEADLINE_EXCEEDED, "guest agent at " + health + " not healthy within " + timeout);
    }

    private boolean answers(URI health) {
        HttpRequest request =
                HttpRequest.newBuilder(health).timeout(ATTEMPT.multipliedBy(4)).build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            // The status is the answer; the body is never read (a hostile guest's may be endless): closing it
            // unread drops the connection. Slow or oversized headers fail the attempt (timeout, JDK header cap).
            response.body().close();
            return response.statusCode() == 200 || response.statusCode() == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostAgentException(ErrorCode.INTERNAL, "interrupted while waiting for " + health, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostAgentException(ErrorCode.INTERNAL, "interrupted while waiting for a guest", e);
        }
    }
}
