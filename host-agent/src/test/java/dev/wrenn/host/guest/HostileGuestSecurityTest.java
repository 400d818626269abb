package dev.wrenn.host.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.net.Ipv4;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile guest agent (a raw HTTP server on loopback standing in for envd at one sandbox's address) against the
 * host agent's real guest clients: each attack fails only its own call, with a clear error, and marks that sandbox
 * unhealthy, while a second, honest sandbox served by the same clients keeps answering.
 */
@Tag("security")
@Timeout(120) // a hang guard only: every attack must end at a limit of a few seconds
class HostileGuestSecurityTest {
    private static final Ipv4 HOSTILE_IP = Ipv4.parse("10.11.0.1");
    private static final Ipv4 HONEST_IP = Ipv4.parse("10.11.0.2");
    private static final int SMALL_BODY = 4096;
    private static final int MAX_MESSAGE = 64 * 1024;
    private static final GuestLimits LIMITS = new GuestLimits(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            MAX_MESSAGE,
            SMALL_BODY);
    private static final String METRICS_JSON =
            "{\"ts\":1,\"cpu_count\":1,\"cpu_used_pct\":2.5,\"mem_used\":10,\"mem_total\":20}";

    private RawGuest hostile;
    private RawGuest honest;
    private EnvdClients clients;

    @BeforeEach
    void start() throws IOException {
        hostile = new RawGuest();
        honest = new RawGuest();
        honest.answer = out -> respond(out, "200 OK", "application/json", METRICS_JSON);
        // The limits as given, not scaled by this machine's load (BusyGuestStartTest covers the scaling).
        clients = new EnvdClients(
                LIMITS,
                ip -> (ip.equals(HOSTILE_IP) ? hostile : honest).uri(),
                StartGates.Config.DEFAULT,
                GuestPace.fixed());
    }

    @AfterEach
    void stop() {
        clients.close();
        hostile.close();
        honest.close();
    }

    @Test
    void anEndlessMetricsBodyIsCutAtTheCapAndMarksTheSandboxUnhealthy() {
        hostile.answer = out -> {
            head(out, "200 OK", "Content-Type: application/json\r\nConnection: close\r\n");
            endless(out);
        };

        assertThatThrownBy(() -> hostileGuest().metrics())
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("reading metrics in sandbox sb-hostile")
                .hasMessageContaining("exceeds the limit of " + SMALL_BODY + " bytes")
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);

        // The host hung up: the guest's writes fail after what the sockets' buffers hold, not without end.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hostile.writerStopped);
        assertThat(hostile.bytesSent.get()).isLessThan(32L << 20);
        assertUnhealthyAndHonestGuestServed("exceeds the limit");
    }

    @Test
    void anEndlessHealthBodyFailsTheCheckInsteadOfBeingDrainedForever() {
        hostile.answer = out -> {
            head(out, "200 OK", "Connection: close\r\n");
            endless(out);
        };

        assertThatThrownBy(() -> hostileGuest().health(Duration.ofSeconds(2)))
                .hasMessageContaining("checking health in sandbox sb-hostile")
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertUnhealthyAndHonestGuestServed("checking health");
    }

    @Test
    void headersSentOneByteASecondHitTheDeadline() {
        hostile.answer = out -> {
            for (byte b : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                sleepQuietly(Duration.ofSeconds(1));
            }
        };

        assertThatThrownBy(() -> hostileGuest().health(Duration.ofSeconds(2)))
                .hasMessageContaining("checking health in sandbox sb-hostile: no answer within PT2S")
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(honestGuest().metrics().cpuUsedPct()).isEqualTo(2.5);
    }

    @Test
    void aHugeHeaderIsRefusedAsAProtocolViolation() {
        hostile.answer = out -> {
            out.write("HTTP/1.1 200 OK\r\nX-Flood: ".getBytes(StandardCharsets.US_ASCII));
            endless(out);
        };

        assertThatThrownBy(() -> hostileGuest().health(Duration.ofSeconds(5)))
                .hasMessageContaining("checking health in sandbox sb-hostile")
                .hasMessageContaining("broke the protocol");
        assertThat(hostile.bytesSent.get()).isLessThan(32L << 20);
        assertUnhealthyAndHonestGuestServed("broke the protocol");
    }

    @Test
    void badJsonFromMetricsIsAClearErrorAndAFault() {
        hostile.answer = out -> respond(out, "200 OK", "application/json", "{\"ts\": [[[ not json");

        assertThatThrownBy(() -> hostileGuest().metrics())
                .hasMessageContaining("reading metrics in sandbox sb-hostile: unreadable answer")
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.INTERNAL);
        assertUnhealthyAndHonestGuestServed("unreadable answer");
    }

    @Test
    void aProcessStreamThatNeverSendsAnythingIsDroppedAtTheIdleLimit() {
        hostile.answer = out -> {
            head(out, "200 OK", "Content-Type: application/connect+proto\r\nConnection: close\r\n");
            sleepQuietly(Duration.ofSeconds(60)); // not even a keepalive
        };

        try (ProcessEvents events = hostileGuest().startPty(ProcessSpec.of("/bin/bash"), 80, 24)) {
            assertThatThrownBy(events::next)
                    .hasMessageContaining("running `/bin/bash` in sandbox sb-hostile")
                    .hasMessageContaining("stalled: nothing arrived for PT2S")
                    .extracting(e -> ((HostAgentException) e).code())
                    .isEqualTo(ErrorCode.UNAVAILABLE);
        }
        assertUnhealthyAndHonestGuestServed("stalled");
    }

    @Test
    void anOversizedConnectEnvelopeIsRefusedBeforeItIsBuffered() {
        hostile.answer = out -> {
            head(out, "200 OK", "Content-Type: application/connect+proto\r\nConnection: close\r\n");
            out.write(new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // a 2 GiB message
            endless(out);
        };

        try (ProcessEvents events = hostileGuest().start(ProcessSpec.of("/bin/true"), null)) {
            assertThatThrownBy(events::next)
                    .hasMessageContaining("exceeds the maximum message size of " + MAX_MESSAGE)
                    .extracting(e -> ((HostAgentException) e).code())
                    .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hostile.writerStopped);
        assertThat(hostile.bytesSent.get()).isLessThan(32L << 20);
        assertUnhealthyAndHonestGuestServed("maximum message size");
    }

    private void assertUnhealthyAndHonestGuestServed(String reason) {
        assertThat(clients.faults().reason("sb-hostile"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains(reason);
        assertThat(honestGuest().metrics().memTotal()).isEqualTo(20);
        assertThat(clients.faults().reason("sb-honest")).isEmpty();
    }

    private EnvdClient hostileGuest() {
        return clients.forGuest(new GuestEndpoint("sb-hostile", HOSTILE_IP, "token"));
    }

    private EnvdClient honestGuest() {
        return clients.forGuest(new GuestEndpoint("sb-honest", HONEST_IP, "token"));
    }

    private static void respond(OutputStream out, String status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        head(out, status, "Content-Type: " + type + "\r\nContent-Length: " + bytes.length + "\r\n");
        out.write(bytes);
    }

    private static void head(OutputStream out, String status, String headers) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void endless(OutputStream out) throws IOException {
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        while (true) {
            out.write(chunk);
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    interface Answer {
        void write(OutputStream out) throws IOException;
    }

    /** A guest agent that reads a request head and answers whatever the test scripted, counting what it sent. */
    static final class RawGuest implements AutoCloseable {
        final ServerSocket socket;
        final AtomicLong bytesSent = new AtomicLong();
        volatile Answer answer = out -> {};
        volatile boolean writerStopped;

        RawGuest() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread.ofVirtual().start(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                readHead(in);
                OutputStream counting = new OutputStream() {
                    private final OutputStream out = connection.getOutputStream();

                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        bytesSent.addAndGet(len);
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                    }
                };
                answer.write(counting);
                counting.flush();
            } catch (IOException e) {
                writerStopped = true; // the host hung up
            }
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int b = in.read(); b >= 0; b = in.read()) {
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a test server.
            }
        }
    }
}
