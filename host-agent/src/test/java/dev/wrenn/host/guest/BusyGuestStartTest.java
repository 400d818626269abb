package dev.wrenn.host.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wrenn.connect.codec.Envelope;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.error.RetryLaterException;
import dev.wrenn.host.net.Ipv4;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import dev.wrenn.protocol.envd.process.StartResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A guest that starts one process at a time, slowly (an emulated CPU on a loaded host): a burst of execs through the
 * host agent's client all succeed, because starts beyond what the guest takes at once wait their turn on the host
 * and the guest's time to answer scales with the host's load. Before, every start went to the guest at once and
 * each had a fixed 10 s for its headers: the ones at the back of the guest's line failed (502 on /v1).
 */
class BusyGuestStartTest {
    private static final Ipv4 GUEST = Ipv4.parse("10.11.0.2");
    /** An idle host's header deadline, shrunk from 10 s so that the test is quick. */
    private static final GuestLimits LIMITS = new GuestLimits(
            Duration.ofSeconds(3),
            Duration.ofMillis(1500),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            8 << 20,
            64 << 10);

    private final AtomicInteger atGuest = new AtomicInteger();
    private final AtomicInteger mostAtGuest = new AtomicInteger();
    private final Semaphore oneAtATime = new Semaphore(1, true);
    private volatile Duration perStart = Duration.ofMillis(300);
    private HttpServer guest;

    @AfterEach
    void stop() {
        if (guest != null) {
            guest.stop(0);
        }
    }

    @Test
    void aBurstOfStartsAtASerialGuestAllSucceedAndAtMostFourReachItAtOnce() throws Exception {
        EnvdClients clients = clients(StartGates.Config.DEFAULT, GuestPace.fixed());
        // 24 at once: the last would wait 24 x 300 ms = 7.2 s at the guest, far past the 1.5 s header deadline.
        List<Future<ExecResult>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 24; i++) {
                int n = i;
                runs.add(threads.submit(() -> envd(clients).run(echo(n), Duration.ofSeconds(30), 1 << 20)));
            }
            for (int i = 0; i < runs.size(); i++) {
                ExecResult result = runs.get(i).get(60, TimeUnit.SECONDS);
                assertThat(result.exitCode()).isZero();
                assertThat(result.stdout().toStringUtf8()).isEqualTo("echo " + i);
            }
        }
        assertThat(mostAtGuest.get()).isBetween(1, StartGates.Config.DEFAULT.inFlightPerGuest());
        assertThat(clients.gates().waiting()).isZero();
        clients.close();
    }

    @Test
    void aGuestSlowerThanTheIdleDeadlineIsWaitedForWhenTheHostIsLoaded() throws Exception {
        perStart = Duration.ofMillis(4000);
        AtomicReference<Double> loadPerCore = new AtomicReference<>(1.0);
        try (EnvdClients idle = clients(StartGates.Config.DEFAULT, new GuestPace(loadPerCore::get))) {
            // On an idle host a guest that takes 4 s to start `echo` is broken: the 1.5 s deadline stands.
            assertThatThrownBy(() -> envd(idle).run(echo(0), Duration.ofSeconds(30), 1 << 20))
                    .isInstanceOfSatisfying(
                            HostAgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        }
        // The abandoned start is still being "started" by the serial guest: let it finish first.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> atGuest.get() == 0);
        loadPerCore.set(4.0);
        try (EnvdClients loaded = clients(StartGates.Config.DEFAULT, new GuestPace(loadPerCore::get))) {
            // A load of 4 per core: the deadline is 6 s, the same guest is slow, not dead.
            ExecResult result = envd(loaded).run(echo(1), Duration.ofSeconds(30), 1 << 20);
            assertThat(result.stdout().toStringUtf8()).isEqualTo("echo 1");
        }
    }

    @Test
    void startsBeyondTheBoundedQueueAreRefusedRetryableAndTheRestSucceed() throws Exception {
        perStart = Duration.ofMillis(700);
        StartGates.Config small = new StartGates.Config(1, 3, 100, Duration.ofMinutes(1), Duration.ofMinutes(1));
        try (EnvdClients clients = clients(small, GuestPace.fixed())) {
            List<Future<ExecResult>> runs = new ArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    runs.add(threads.submit(() -> {
                        try {
                            return envd(clients).run(echo(n), Duration.ofSeconds(30), 1 << 20);
                        } catch (RetryLaterException e) {
                            assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
                            assertThat(e.getMessage()).contains("already has 3 commands waiting to start");
                            refused.incrementAndGet();
                            return null;
                        }
                    }));
                }
                int ok = 0;
                for (Future<ExecResult> run : runs) {
                    if (run.get(60, TimeUnit.SECONDS) != null) {
                        ok++;
                    }
                }
                // One in flight and three waiting at most: the other four refused at once, none failed otherwise.
                assertThat(ok + refused.get()).isEqualTo(8);
                assertThat(ok).isGreaterThanOrEqualTo(4);
                assertThat(refused.get()).isGreaterThanOrEqualTo(1);
            }
        }
    }

    private static ProcessSpec echo(int n) {
        return new ProcessSpec("echo", List.of(Integer.toString(n)), Map.of(), "", "user");
    }

    private EnvdClient envd(EnvdClients clients) {
        return clients.forGuest(new GuestEndpoint("sb-1", GUEST, "token"));
    }

    private EnvdClients clients(StartGates.Config config, GuestPace pace) throws IOException {
        if (guest == null) {
            guest = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            guest.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            guest.createContext("/process.Process/Start", this::start);
            guest.start();
        }
        URI base = URI.create("http://127.0.0.1:" + guest.getAddress().getPort());
        return new EnvdClients(LIMITS, ip -> base, config, pace);
    }

    /** Starts one process at a time, each taking {@link #perStart} before its headers go out. */
    private void start(HttpExchange exchange) throws IOException {
        int now = atGuest.incrementAndGet();
        mostAtGuest.accumulateAndGet(now, Math::max);
        try {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String args = StartRequestArgs.of(request);
            oneAtATime.acquireUninterruptibly();
            try {
                Thread.sleep(perStart);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                oneAtATime.release();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/connect+proto");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(event(ProcessEvent.newBuilder()
                        .setStart(ProcessEvent.StartEvent.newBuilder().setPid(100))));
                out.write(event(ProcessEvent.newBuilder()
                        .setData(ProcessEvent.DataEvent.newBuilder()
                                .setStdout(ByteString.copyFromUtf8("echo " + args)))));
                out.write(event(ProcessEvent.newBuilder()
                        .setEnd(ProcessEvent.EndEvent.newBuilder()
                                .setExitCode(0)
                                .setExited(true)
                                .setStatus("exit status 0"))));
                out.write(Envelope.endStream("{}".getBytes(StandardCharsets.UTF_8))
                        .encode());
            }
        } finally {
            atGuest.decrementAndGet();
        }
    }

    private static byte[] event(ProcessEvent.Builder event) {
        return Envelope.message(
                        StartResponse.newBuilder().setEvent(event).build().toByteArray())
                .encode();
    }

    /** The first argument of the StartRequest in the request's one envelope. */
    private static final class StartRequestArgs {
        static String of(byte[] envelope) throws IOException {
            byte[] payload = java.util.Arrays.copyOfRange(envelope, 5, envelope.length);
            return dev.wrenn.protocol.envd.process.StartRequest.parseFrom(payload)
                    .getProcess()
                    .getArgs(0);
        }
    }
}
