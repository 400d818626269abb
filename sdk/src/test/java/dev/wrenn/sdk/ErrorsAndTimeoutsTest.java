package dev.wrenn.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.sdk.commands.CommandOptions;
import dev.wrenn.sdk.internal.envd.process.ProcessEvent;
import dev.wrenn.sdk.internal.envd.process.StartResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Errors and deadlines against a fake server: every failure is one family, with the server's message. */
@Timeout(60)
class ErrorsAndTimeoutsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "404|{\"code\":404,\"message\":\"sandbox sb-x not found\"}|NotFoundException|sandbox sb-x not found",
                "401|{\"error\":{\"code\":\"unauthorized\",\"message\":\"invalid API key\"}}|AuthenticationException|invalid API key",
                "429|{\"code\":429,\"message\":\"quota exceeded: running sandboxes 100\"}|QuotaException|running sandboxes 100",
                "400|{\"code\":400,\"message\":\"field 'timeout' must be 0..86400\"}|InvalidArgumentException|field 'timeout'",
                "500|<html>proxy error</html>|SandboxException|proxy error",
            })
    void apiErrorsBecomeTheFamilyWithTheServersMessage(int status, String body, String type, String message)
            throws Exception {
        try (FakeServer server = new FakeServer()) {
            server.route("/sandboxes/", e -> FakeServer.json(e, status, body));
            assertThatThrownBy(() -> Sandbox.getInfo("sb-x", server.config(Duration.ofSeconds(5))))
                    .isInstanceOf(SandboxException.class)
                    .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo(type))
                    .hasMessageContaining(message)
                    .satisfies(e -> assertThat(((SandboxException) e).status()).isEqualTo(status));
        }
    }

    @Test
    void anApiCallThatGetsNoAnswerTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeServer server = new FakeServer()) {
            server.route("/v2/sandboxes", e -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> Sandbox.create(SandboxOptions.builder()
                            .config(server.config(Duration.ofMillis(500)))
                            .build()))
                    .isInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            release.countDown();
        }
    }

    @Test
    void noApiKeyIsAnAuthenticationErrorBeforeAnyCall() {
        ConnectionConfig none =
                ConnectionConfig.wrenn("http://127.0.0.1:9", null).build();
        assertThatThrownBy(() ->
                        Sandbox.create(SandboxOptions.builder().config(none).build()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("WRENN_API_KEY");
    }

    @Test
    void aCommandPastItsDeadlineIsATimeoutAndTheServerIsToldTheDeadline() throws Exception {
        AtomicReference<String> timeoutHeader = new AtomicReference<>();
        AtomicReference<String> token = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        try (FakeServer server = new FakeServer()) {
            server.route("/v2/sandboxes", e -> FakeServer.json(e, 201, FakeServer.CREATED));
            server.route("/process.Process/Start", e -> {
                timeoutHeader.set(e.getRequestHeaders().getFirst("Connect-Timeout-Ms"));
                token.set(e.getRequestHeaders().getFirst("X-Access-Token"));
                e.getResponseHeaders().set("Content-Type", "application/connect+proto");
                e.sendResponseHeaders(200, 0);
                OutputStream out = e.getResponseBody();
                writeEnvelope(out, 0, startEvent(7).toByteArray());
                out.flush();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            Sandbox sandbox = Sandbox.create(SandboxOptions.builder()
                    .config(server.config(Duration.ofSeconds(5)))
                    .build());
            long start = System.nanoTime();
            assertThatThrownBy(() -> sandbox.commands()
                            .run(
                                    "sleep 100",
                                    CommandOptions.builder()
                                            .timeout(Duration.ofMillis(700))
                                            .build()))
                    .isInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(timeoutHeader.get()).isEqualTo("700");
            assertThat(token.get()).isEqualTo("tok");
            release.countDown();
        }
    }

    @Test
    void aStreamsEndErrorIsMappedWithItsMessage() throws Exception {
        try (FakeServer server = new FakeServer()) {
            server.route("/v2/sandboxes", e -> FakeServer.json(e, 201, FakeServer.CREATED));
            server.route("/process.Process/Start", e -> {
                e.sendResponseHeaders(200, 0);
                try (OutputStream out = e.getResponseBody()) {
                    writeEnvelope(out, 0, startEvent(9).toByteArray());
                    writeEnvelope(
                            out,
                            2,
                            "{\"error\":{\"code\":\"invalid_argument\",\"message\":\"cwd /nope does not exist\"}}"
                                    .getBytes(StandardCharsets.UTF_8));
                }
            });
            Sandbox sandbox = Sandbox.create(SandboxOptions.builder()
                    .config(server.config(Duration.ofSeconds(5)))
                    .build());
            assertThatThrownBy(() -> sandbox.commands().run("true"))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("cwd /nope does not exist");
        }
    }

    @Test
    void aStreamCutWithoutItsEndMessageIsAnError() throws Exception {
        try (FakeServer server = new FakeServer()) {
            server.route("/v2/sandboxes", e -> FakeServer.json(e, 201, FakeServer.CREATED));
            server.route("/process.Process/Start", e -> {
                e.sendResponseHeaders(200, 0);
                try (OutputStream out = e.getResponseBody()) {
                    writeEnvelope(out, 0, startEvent(9).toByteArray());
                }
            });
            Sandbox sandbox = Sandbox.create(SandboxOptions.builder()
                    .config(server.config(Duration.ofSeconds(5)))
                    .build());
            assertThatThrownBy(() -> sandbox.commands().run("true"))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("end");
        }
    }

    @Test
    void anEnvdUnaryErrorUsesConnectsCode() throws Exception {
        try (FakeServer server = new FakeServer()) {
            server.route("/v2/sandboxes", e -> FakeServer.json(e, 201, FakeServer.CREATED));
            server.route(
                    "/filesystem.Filesystem/Stat",
                    e -> FakeServer.json(e, 404, "{\"code\":\"not_found\",\"message\":\"no such file: /x\"}"));
            server.route(
                    "/files", e -> FakeServer.json(e, 507, "{\"code\":507,\"message\":\"not enough disk space\"}"));
            Sandbox sandbox = Sandbox.create(SandboxOptions.builder()
                    .config(server.config(Duration.ofSeconds(5)))
                    .build());
            assertThatThrownBy(() -> sandbox.files().getInfo("/x"))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("no such file: /x");
            assertThat(sandbox.files().exists("/x")).isFalse();
            assertThatThrownBy(() -> sandbox.files().write("/y", "data"))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("not enough disk space")
                    .satisfies(e -> assertThat(((SandboxException) e).status()).isEqualTo(507));
        }
    }

    static StartResponse startEvent(int pid) {
        return StartResponse.newBuilder()
                .setEvent(ProcessEvent.newBuilder()
                        .setStart(ProcessEvent.StartEvent.newBuilder().setPid(pid)))
                .build();
    }

    static void writeEnvelope(OutputStream out, int flags, byte[] payload) throws IOException {
        out.write(
                ByteBuffer.allocate(5).put((byte) flags).putInt(payload.length).array());
        out.write(payload);
        out.flush();
    }
}
