package dev.wrenn.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The training run behind the agent's AOT cache (JEP 483/514): the JVM records which classes a run loads and links,
 * and a later start loads them from the cache instead of from the jar. The run covers start-up and the first
 * {@code /health}, nothing more. Every class in the cache is loaded at each start and stays resident: a cache trained
 * on a full round of requests (Start alone brings ~1,000 protobuf and JSON classes) kept ~8 MiB more in every idle
 * agent. Request paths load their classes on first use instead; the host agent makes that first use in a base
 * template before its snapshot, so sandboxes cloned from it do not pay it. The client is a bare socket so that no
 * HTTP client classes end up in the cache.
 */
final class AotTraining {
    private final InetSocketAddress agent;

    private AotTraining(InetSocketAddress agent) {
        this.agent = agent;
    }

    /** Runs the training; false (with the reason on stderr) when the agent did not answer as expected. */
    static boolean run() throws IOException {
        String self = System.getProperty("user.name");
        RunningAgent running = RunningAgent.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), self);
        try {
            new AotTraining(running.address()).expectHealthy();
            return true;
        } catch (IOException | IllegalStateException e) {
            System.err.println("wrenn guest-agent --train: " + e.getMessage());
            return false;
        } finally {
            running.stop();
        }
    }

    private void expectHealthy() throws IOException {
        String answer = exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        String statusLine = answer.lines().findFirst().orElse("");
        if (!statusLine.contains(" 204 ")) {
            throw new IllegalStateException(
                    "GET /health expected 204, got: " + answer.substring(0, Math.min(answer.length(), 400)));
        }
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(agent.getAddress(), agent.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
