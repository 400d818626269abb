package dev.wrenn.sdk.it;

import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Not a test (run only when named, by build/sdk-bench.sh): the Java SDK's create → first output and exec round trip,
 * interleaved with the same through curl on /v1 (the floor: one process per call, no SDK), against a real
 * {@code wrenn up}. Prints markdown rows; the E2B JavaScript SDK's figures come from the same script's run.
 */
class SdkBenchmark {
    private final ConnectionConfig config = LiveServer.config();
    private final int runs = Integer.getInteger("runs", 20);

    @Test
    void createToFirstOutputAndExecRoundTrip() throws Exception {
        List<Double> sdkCreate = new ArrayList<>();
        List<Double> sdkExec = new ArrayList<>();
        List<Double> curlCreate = new ArrayList<>();
        List<Double> curlExec = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            long start = System.nanoTime();
            Sandbox sandbox = Sandbox.create(
                    dev.wrenn.sdk.SandboxOptions.builder().config(config).build());
            String out = sandbox.commands().run("echo first").stdout();
            double create = ms(start);
            if (!out.equals("first\n")) {
                throw new IllegalStateException("printed " + out);
            }
            long t = System.nanoTime();
            sandbox.commands().run("true");
            double exec = ms(t);
            sandbox.kill();

            long c = System.nanoTime();
            String id = curl("-X", "POST", "/v1/sandboxes", "-d", "{\"template\":\"base\"}")
                    .replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
            String first = curl(
                    "-X", "POST", "/v1/sandboxes/" + id + "/exec", "-d", "{\"cmd\":\"echo\",\"args\":[\"first\"]}");
            double curlFirst = ms(c);
            if (!first.contains("first\\n")) {
                throw new IllegalStateException("curl exec printed " + first);
            }
            long e = System.nanoTime();
            curl("-X", "POST", "/v1/sandboxes/" + id + "/exec", "-d", "{\"cmd\":\"true\"}");
            double curlRound = ms(e);
            curl("-X", "DELETE", "/v1/sandboxes/" + id);
            if (i > 0) { // the first run warms up
                sdkCreate.add(create);
                sdkExec.add(exec);
                curlCreate.add(curlFirst);
                curlExec.add(curlRound);
            }
        }
        System.out.println("| Java SDK: Sandbox.create → commands().run(\"echo first\") output | " + p(sdkCreate, 50)
                + " ms | " + p(sdkCreate, 95) + " ms |");
        System.out.println("| curl: POST /v1/sandboxes → POST …/exec output | " + p(curlCreate, 50) + " ms | "
                + p(curlCreate, 95) + " ms |");
        System.out.println("| Java SDK: exec round trip, commands().run(\"true\") | " + p(sdkExec, 50) + " ms | "
                + p(sdkExec, 95) + " ms |");
        System.out.println("| curl: exec round trip, POST …/exec true | " + p(curlExec, 50) + " ms | " + p(curlExec, 95)
                + " ms |");
    }

    private String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of("curl", "-sfS", "-H", "X-API-Key: " + config.apiKey(), "-H", "Content-Type: application/json"));
        for (String a : args) {
            cmd.add(a.startsWith("/") ? config.apiUrl() + a : a);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("curl " + args[2] + ": " + out);
        }
        return out;
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static long p(List<Double> samples, int percentile) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int i = Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
        return Math.round(sorted.get(i));
    }
}
