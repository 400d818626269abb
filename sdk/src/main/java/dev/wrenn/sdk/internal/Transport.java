package dev.wrenn.sdk.internal;

import dev.wrenn.sdk.AuthenticationException;
import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.SandboxException;
import dev.wrenn.sdk.TimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the SDK: one shared JDK {@link HttpClient} (HTTP/1.1: the sandbox proxy and envd speak it, and a
 * cleartext HTTP/2 upgrade would only cost a round trip), daemon threads for streams and deadlines, and the control
 * plane's JSON calls with their errors. Not part of the public API.
 */
public final class Transport {
    /** Bodies of API answers are read whole; none is near this, so a hostile server cannot exhaust memory. */
    static final int MAX_API_BODY = 16 << 20;

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Reads streams (command output, watches); daemon threads so an SDK user's JVM can always exit. */
    public static final ExecutorService STREAMS = Executors.newCachedThreadPool(r -> daemon(r, "wrenn-sdk-stream-"));
    /** Ends streams whose deadline passed. */
    public static final ScheduledExecutorService DEADLINES =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "wrenn-sdk-deadline-"));

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newCachedThreadPool(r -> daemon(r, "wrenn-sdk-http-")))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final ConnectionConfig config;

    /** @param config where calls go and the default deadline */
    public Transport(ConnectionConfig config) {
        this.config = config;
    }

    /** The configuration. */
    public ConnectionConfig config() {
        return config;
    }

    /** The shared client. */
    public static HttpClient client() {
        return CLIENT;
    }

    private static Thread daemon(Runnable r, String prefix) {
        Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /** The answer of an API call: status, body (parsed JSON or null) and the headers the SDK reads. */
    public static final class Answer {
        /** HTTP status. */
        public final int status;
        /** The parsed JSON body, or null when empty. */
        public final Object body;
        /** The response headers. */
        public final java.net.http.HttpHeaders headers;

        Answer(int status, Object body, java.net.http.HttpHeaders headers) {
            this.status = status;
            this.body = body;
            this.headers = headers;
        }

        /** The body as an object. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> object() {
            if (!(body instanceof Map)) {
                throw new SandboxException("the server answered " + status + " without a JSON object");
            }
            return (Map<String, Object>) body;
        }

        /** The body as an array. */
        @SuppressWarnings("unchecked")
        public List<Object> array() {
            if (!(body instanceof List)) {
                throw new SandboxException("the server answered " + status + " without a JSON array");
            }
            return (List<Object>) body;
        }
    }

    /**
     * One control-plane call. {@code what} names the call in messages ("create sandbox"). Error answers become the
     * exception family, except statuses listed in {@code accepted}, which are returned for the caller to decide.
     */
    public Answer api(String method, String path, Object jsonBody, String what, int... accepted) {
        if (config.apiKey() == null) {
            throw new AuthenticationException(
                    what + ": no API key (set WRENN_API_KEY or E2B_API_KEY, or pass one in ConnectionConfig)", 0, null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.apiUrl() + path))
                .timeout(config.requestTimeout())
                .header("X-API-Key", config.apiKey())
                .header("User-Agent", "wrenn-java-sdk/" + Version.VERSION)
                .header("Accept", "application/json");
        if (jsonBody != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(jsonBody)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> response = send(request.build(), what);
        String text;
        try (InputStream in = response.body()) {
            text = new String(Bounded.readAll(in, MAX_API_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failure(e, what);
        }
        int status = response.statusCode();
        for (int ok : accepted) {
            if (status == ok) {
                return new Answer(status, parseOrNull(text), response.headers());
            }
        }
        if (status / 100 != 2) {
            throw Errors.fromHttp(status, text, what);
        }
        Object body;
        try {
            body = parseOrNull(text);
        } catch (IllegalArgumentException e) {
            throw new SandboxException(what + ": the server answered malformed JSON (" + e.getMessage() + ")");
        }
        return new Answer(status, body, response.headers());
    }

    private static Object parseOrNull(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Sends a request whose body is read as a stream by the caller; connection failures become the family. */
    public static HttpResponse<InputStream> send(HttpRequest request, String what) {
        try {
            return CLIENT.send(request, StreamingBody.handler());
        } catch (IOException e) {
            throw failure(e, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(what + ": interrupted", 0, e);
        }
    }

    /** An I/O failure as the family: deadlines are {@link TimeoutException}, the rest {@link SandboxException}. */
    public static SandboxException failure(IOException e, String what) {
        if (e instanceof HttpConnectTimeoutException) {
            return new TimeoutException(what + ": connecting timed out", 0, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new TimeoutException(what + ": no answer within the request timeout", 0, e);
        }
        if (e instanceof ConnectException) {
            return new SandboxException(
                    what + ": cannot connect (" + (e.getMessage() == null ? "connection refused" : e.getMessage())
                            + ")",
                    0,
                    e);
        }
        return new SandboxException(what + ": " + e, 0, e);
    }

    /** A query string from name/value pairs (nulls left out). */
    public static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            q.append(q.length() == 0 ? '?' : '&')
                    .append(encode(e.getKey()))
                    .append('=')
                    .append(encode(e.getValue()));
        }
        return q.toString();
    }

    /** Percent-encodes a query value or path segment. */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An ordered map, for building queries and bodies. */
    public static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
