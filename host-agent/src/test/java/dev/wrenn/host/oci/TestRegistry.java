package dev.wrenn.host.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OCI distribution server on 127.0.0.1 for tests: serves the manifests and blobs a test puts in (blobs from files,
 * so large layers are streamed), records every request, and optionally demands a bearer token that its own
 * {@code /token} endpoint gives for the right basic credentials, as Docker Hub-style registries do.
 */
public final class TestRegistry implements AutoCloseable {
    public static final String TOKEN = "test-token-3f9a";

    private final HttpServer server;
    private final Map<String, Path> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    private final Map<String, byte[]> corrupt = new ConcurrentHashMap<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String username;
    private volatile String password;

    public TestRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Pulls need a bearer token, which /token gives for these basic credentials (and refuses otherwise). */
    public TestRegistry requireToken(String user, String pass) {
        this.username = user;
        this.password = pass;
        return this;
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public void putBlob(String digest, Path file) {
        blobs.put(digest, file);
    }

    /** Serves other bytes than the digest says, as a broken or hostile mirror would. */
    public void corruptBlob(String digest, byte[] bytes) {
        corrupt.put(digest, bytes);
    }

    /** Stores a manifest under its digest and, when given, a tag. */
    public String putManifest(String repository, String tag, String mediaType, byte[] body) {
        String digest = Manifests.sha256(body);
        for (String ref : tag == null ? List.of(digest) : List.of(digest, tag)) {
            manifests.put(repository + "@" + ref, body);
            manifestTypes.put(repository + "@" + ref, mediaType);
        }
        return digest;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            if (path.equals("/token")) {
                token(exchange);
                return;
            }
            if (username != null) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (!("Bearer " + TOKEN).equals(auth)) {
                    exchange.getResponseHeaders()
                            .add(
                                    "WWW-Authenticate",
                                    "Bearer realm=\"http://%s/token\",service=\"test-registry\"".formatted(host()));
                    send(
                            exchange,
                            401,
                            "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8),
                            "application/json");
                    return;
                }
            }
            if (path.equals("/v2/")) {
                send(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
                return;
            }
            int manifestsAt = path.indexOf("/manifests/");
            int blobsAt = path.indexOf("/blobs/");
            if (path.startsWith("/v2/") && manifestsAt > 0) {
                String key = path.substring(4, manifestsAt) + "@" + path.substring(manifestsAt + 11);
                byte[] body = manifests.get(key);
                if (body == null) {
                    send(
                            exchange,
                            404,
                            "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8),
                            "application/json");
                } else {
                    send(exchange, 200, body, manifestTypes.get(key));
                }
                return;
            }
            if (path.startsWith("/v2/") && blobsAt > 0) {
                String digest = path.substring(blobsAt + 7);
                if (corrupt.containsKey(digest)) {
                    send(exchange, 200, corrupt.get(digest), "application/octet-stream");
                    return;
                }
                Path file = blobs.get(digest);
                if (file == null) {
                    send(
                            exchange,
                            404,
                            "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8),
                            "application/json");
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, Files.size(file));
                try (InputStream in = Files.newInputStream(file);
                        OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
                return;
            }
            send(exchange, 404, new byte[0], "text/plain");
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        String expected = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(
                    exchange,
                    401,
                    "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8),
                    "application/json");
            return;
        }
        send(exchange, 200, ("{\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public long blobRequests(String digest) {
        return requests.stream().filter(r -> r.endsWith("/blobs/" + digest)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
