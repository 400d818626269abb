package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.UserDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a GuestHttpServer on loopback with its own passwd/group files: "root", "user" (uid 1000, the default user)
 * and "other" (uid 1001), all with homes under a temp dir. The system clock is a recorder.
 */
abstract class GuestServerFixture {
    static final int USER_UID = 1000;
    static final int OTHER_UID = 1001;

    @TempDir
    Path tmp;

    AgentState state;
    UserDirectory users;
    GuestHttpServer server;
    HttpClient client;
    Path userHome;
    Path otherHome;
    final List<Instant> clockSets = new CopyOnWriteArrayList<>();
    final List<byte[]> seeds = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        userHome = Files.createDirectories(tmp.resolve("home/user"));
        otherHome = Files.createDirectories(tmp.resolve("home/other"));
        Files.createDirectories(tmp.resolve("root"));
        Path passwd = Files.writeString(
                tmp.resolve("passwd"),
                String.join(
                        "\n",
                        "root:x:0:0:root:" + tmp.resolve("root") + ":/bin/bash",
                        "user:x:1000:1000::" + userHome + ":/bin/bash",
                        "other:x:1001:1001::" + otherHome + ":/bin/bash",
                        ""));
        Path group = Files.writeString(tmp.resolve("group"), "root:x:0:\nuser:x:1000:\nother:x:1001:\n");
        users = new UserDirectory(passwd, group);
        state = new AgentState("user");
        server = new GuestHttpServer(state, users, clockSets::add, seeds::add);
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stopServer() {
        server.stop();
        client.close();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery));
        return headers.length == 0 ? builder : builder.headers(headers);
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        return client.send(request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) throws Exception {
        return client.send(request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String pathAndQuery, byte[] body, String... headers) throws Exception {
        return client.send(
                request(pathAndQuery, headers)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json, String... headers) throws Exception {
        return post(
                path, json.getBytes(StandardCharsets.UTF_8), withHeader(headers, "Content-Type", "application/json"));
    }

    void init(String json, String... headers) throws Exception {
        HttpResponse<String> response = postJson("/init", json, headers);
        assertThat(response.statusCode())
                .as("/init answer: %s", response.body())
                .isEqualTo(204);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String[] withHeader(String[] headers, String name, String value) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = name;
        all[headers.length + 1] = value;
        return all;
    }
}
