package dev.wrenn.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run behind the agent's AOT cache (JEP 483/514): the JVM records which classes a run loads and links,
 * and a later start maps them from the cache instead of loading them from the jar. So the run starts the agent as
 * usual, on a free loopback port, then makes each kind of request a client makes once a sandbox is up: health, a
 * process with and without output, a stat and a listing, a file upload and download. The client is a bare socket so
 * that no HTTP client classes end up in the cache, where they would be loaded at every start for nothing.
 */
final class AotTraining {
    private static final int ROUNDS = 2;

    private final InetSocketAddress agent;
    private final Path dir;

    private AotTraining(InetSocketAddress agent, Path dir) {
        this.agent = agent;
        this.dir = dir;
    }

    /** Runs the training; false (with the reason on stderr) when a request did not get the expected answer. */
    static boolean run() throws IOException {
        // Requests name no user, so they act as the user running the training, who can always run processes.
        String self = System.getProperty("user.name");
        RunningAgent running = RunningAgent.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), self);
        Path dir = Files.createTempDirectory("wrenn-aot-training-");
        try {
            AotTraining training = new AotTraining(running.address(), dir);
            for (int round = 0; round < ROUNDS; round++) {
                training.round();
            }
            return true;
        } catch (IOException | IllegalStateException e) {
            System.err.println("wrenn guest-agent --train: " + e.getMessage());
            return false;
        } finally {
            running.stop();
            deleteTree(dir);
        }
    }

    private void round() throws IOException {
        expect("GET", "/health", null, null, "204", "");
        startProcess("{\"process\":{\"cmd\":\"true\"},\"stdin\":false}");
        startProcess("{\"process\":{\"cmd\":\"/bin/sh\",\"args\":[\"-c\",\"echo out; echo err >&2\"]}}");
        unary("process.Process/List", "{}", "{");
        unary("filesystem.Filesystem/Stat", "{\"path\":\"" + dir + "\"}", "FILE_TYPE_DIRECTORY");
        String file = dir.resolve("training.txt").toString();
        String multipart = "--wrenn\r\nContent-Disposition: form-data; name=\"file\"; filename=\"training.txt\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\ntraining bytes\r\n--wrenn--\r\n";
        expect("POST", "/files?path=" + file, "multipart/form-data; boundary=wrenn", multipart, "200", "training.txt");
        expect("POST", "/files?path=" + file, "application/octet-stream", "octet bytes", "200", "training.txt");
        expect("GET", "/files?path=" + file, null, null, "200", "octet bytes");
        unary("filesystem.Filesystem/ListDir", "{\"path\":\"" + dir + "\",\"depth\":1}", "training.txt");
        unary("filesystem.Filesystem/Remove", "{\"path\":\"" + file + "\"}", "{}");
    }

    private void startProcess(String request) throws IOException {
        byte[] json = request.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream envelope = new ByteArrayOutputStream();
        envelope.write(new byte[] {0, (byte) (json.length >>> 24), (byte) (json.length >>> 16)});
        envelope.write(new byte[] {(byte) (json.length >>> 8), (byte) json.length});
        envelope.write(json);
        String body = envelope.toString(StandardCharsets.ISO_8859_1);
        expect("POST", "/process.Process/Start", "application/connect+json", body, "200", "\"end\"");
    }

    private void unary(String method, String json, String expected) throws IOException {
        expect("POST", "/" + method, "application/json", json, "200", expected);
    }

    /** One request on its own connection; fails unless the status and a part of the answer are as expected. */
    private void expect(String method, String target, String type, String body, String status, String part)
            throws IOException {
        String answer = exchange(method, target, type, body);
        String statusLine = answer.lines().findFirst().orElse("");
        if (!statusLine.contains(" " + status + " ") || !answer.contains(part)) {
            throw new IllegalStateException(method + " " + target + " expected " + status + " with '" + part
                    + "', got: " + answer.substring(0, Math.min(answer.length(), 400)));
        }
    }

    private String exchange(String method, String target, String type, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.ISO_8859_1);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\nConnect-Protocol-Version: 1\r\n");
        if (type != null) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        try (Socket socket = new Socket(agent.getAddress(), agent.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
