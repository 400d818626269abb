package dev.wrenn.host.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.connect.client.ConnectClient;
import dev.wrenn.connect.client.ServerStream;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.host.api.HostAgentGrpcService;
import dev.wrenn.host.guest.GuestEndpoint;
import dev.wrenn.host.testing.RealHostAgent;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exec round trip of {@code true}: through the host agent's gRPC Exec (Netty on loopback, as the control plane
 * calls it) against a Connect Start straight to the guest agent, with a plain {@code GET /health} into the guest as
 * the floor, interleaved in one run on one sandbox. Prints a Markdown table. Not part of the test suite (the class
 * name does not match surefire's patterns); run it with
 * {@code ./mvnw -q -B -pl host-agent -am test -Dtest=ExecRoundTripBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dwrenn.bench.iterations=N}, default 300).
 */
class ExecRoundTripBenchmark {
    private static final String SANDBOX = "sb-bench001";
    private static final int WARMUP = 30;

    @TempDir
    Path root;

    @Test
    void execRoundTripThroughTheHostAgentAgainstStraightToTheGuest() throws Exception {
        int iterations = Integer.getInteger("wrenn.bench.iterations", 300);
        try (RealHostAgent host = new RealHostAgent(root);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .addService(new HostAgentGrpcService(host.manager(), host.guests()))
                    .build()
                    .start();
            ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                            "127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
                    .build();
            try {
                var agent = HostAgentServiceGrpc.newBlockingStub(channel);
                agent.createSandbox(
                        CreateSandboxRequest.newBuilder().setSandboxId(SANDBOX).build());
                Map<String, Supplier<Object>> calls =
                        calls(agent, host.manager().guest(SANDBOX), http);
                Map<String, long[]> samples = measure(calls, iterations);
                System.out.println(table(samples, iterations));
            } finally {
                channel.shutdownNow();
                server.shutdownNow();
            }
        }
    }

    private static Map<String, Supplier<Object>> calls(
            HostAgentServiceGrpc.HostAgentServiceBlockingStub agent, GuestEndpoint guest, HttpClient http) {
        URI base = URI.create("http://" + guest.hostIp() + ":49983");
        ConnectClient connect = new ConnectClient(base, http, Codec.proto());
        ExecRequest exec =
                ExecRequest.newBuilder().setSandboxId(SANDBOX).setCmd("true").build();
        StartRequest start = StartRequest.newBuilder()
                .setProcess(ProcessConfig.newBuilder().setCmd("true"))
                .setStdin(false)
                .build();
        HttpRequest health = HttpRequest.newBuilder(base.resolve("/health")).build();
        Map<String, Supplier<Object>> calls = new LinkedHashMap<>();
        calls.put("gRPC Exec `true` via the host agent", () -> {
            assertThat(agent.exec(exec).getExitCode()).isZero();
            return null;
        });
        calls.put("Connect Start `true` straight to the guest agent", () -> {
            try (ServerStream<StartResponse> events = connect.serverStream(
                    "/process.Process/Start",
                    start,
                    StartResponse.getDefaultInstance(),
                    Map.of("X-Access-Token", guest.accessToken()),
                    Duration.ofSeconds(30))) {
                events.forEachRemaining(event -> {});
            }
            return null;
        });
        calls.put("floor: HTTP GET /health into the guest", () -> {
            try {
                return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return calls;
    }

    /** Round-robin, so that the machine's noise falls on every path alike. */
    private static Map<String, long[]> measure(Map<String, Supplier<Object>> calls, int iterations) {
        for (int i = 0; i < WARMUP; i++) {
            calls.values().forEach(Supplier::get);
        }
        Map<String, long[]> samples = new LinkedHashMap<>();
        calls.keySet().forEach(name -> samples.put(name, new long[iterations]));
        for (int i = 0; i < iterations; i++) {
            for (var call : calls.entrySet()) {
                long start = System.nanoTime();
                call.getValue().get();
                samples.get(call.getKey())[i] = System.nanoTime() - start;
            }
        }
        return samples;
    }

    private static String table(Map<String, long[]> samples, int iterations) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Exec round trip, " + iterations + " iterations each (interleaved), one sandbox, "
                + Runtime.getRuntime().availableProcessors() + " host cores");
        lines.add("");
        lines.add("| path | p50 ms | p99 ms | mean ms |");
        lines.add("|---|---:|---:|---:|");
        samples.forEach((name, nanos) -> {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            lines.add("| %s | %.2f | %.2f | %.2f |"
                    .formatted(name, millis(percentile(sorted, 50)), millis(percentile(sorted, 99)), millis((long)
                            Arrays.stream(sorted).average().orElse(0))));
        });
        return String.join("\n", lines);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
