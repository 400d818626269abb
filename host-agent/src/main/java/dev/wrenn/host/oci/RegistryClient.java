package dev.wrenn.host.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small client of the OCI distribution API for one repository: {@code GET /v2/<name>/manifests/<ref>} and
 * {@code /blobs/<digest>}, with the registry's authentication (a bearer token from the realm its
 * {@code WWW-Authenticate} names, fetched anonymously or with the given credentials; or HTTP basic). Redirects are
 * followed by hand so that credentials are never sent to another host and https never turns into http. Every
 * response is read with a size cap and deadlines ({@link BoundedStream}).
 */
final class RegistryClient {
    static final long MANIFEST_MAX = 4L << 20;
    static final long TOKEN_MAX = 64L << 10;
    static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STALL = Duration.ofSeconds(60);
    static final Duration SMALL_READ = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http;
    private final RegistryMirrors mirrors;
    private final ImageReference image;
    private final URI base;
    private final Optional<String> basic;
    private final Cancellation cancellation;
    private String authorization;

    RegistryClient(
            HttpClient http,
            RegistryMirrors mirrors,
            ImageReference image,
            String username,
            String password,
            Cancellation cancellation) {
        this.http = http;
        this.mirrors = mirrors;
        this.image = image;
        this.base = mirrors.endpoint(image.registry());
        this.basic = username == null || username.isEmpty()
                ? Optional.empty()
                : Optional.of("Basic "
                        + Base64.getEncoder()
                                .encodeToString((username + ":" + (password == null ? "" : password))
                                        .getBytes(StandardCharsets.UTF_8)));
        this.cancellation = cancellation;
        checkScheme(base);
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI endpoint() {
        return base;
    }

    /** The manifest (or index) bytes and their media type. */
    record Fetched(byte[] body, String mediaType) {}

    Fetched manifest(String reference) {
        URI uri = base.resolve("/v2/" + image.repository() + "/manifests/" + reference);
        HttpResponse<InputStream> response = get(uri, Manifests.ACCEPT, "manifest " + reference);
        String type = response.headers().firstValue("Content-Type").orElse("");
        return new Fetched(readAll(response.body(), MANIFEST_MAX, "manifest " + reference), type);
    }

    /** The blob's body; the caller checks its digest and size while it reads. */
    InputStream blob(Descriptor blob, Duration total) {
        URI uri = base.resolve("/v2/" + image.repository() + "/blobs/" + blob.digest());
        HttpResponse<InputStream> response = get(uri, "*/*", "blob " + blob.digest());
        return new BoundedStream(response.body(), blob.size(), STALL, total, "blob " + blob.digest());
    }

    private HttpResponse<InputStream> get(URI uri, String accept, String what) {
        HttpResponse<InputStream> response = send(uri, accept, what);
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            discard(response);
            authenticate(challenge, what);
            response = send(uri, accept, what);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response;
        }
        String body = new String(readQuietly(response.body()), StandardCharsets.UTF_8).strip();
        String detail = body.isEmpty() ? "" : ": " + body.substring(0, Math.min(300, body.length()));
        throw switch (status) {
            case 401, 403 ->
                new HostAgentException(
                        ErrorCode.PERMISSION_DENIED,
                        "registry %s refused access to %s (%s) of %s%s"
                                .formatted(
                                        base,
                                        what,
                                        status,
                                        image,
                                        basic.isPresent() ? " with the given credentials" : " without credentials"));
            case 404 ->
                new HostAgentException(
                        ErrorCode.NOT_FOUND,
                        "image %s: %s not found in registry %s%s".formatted(image, what, base, detail));
            case 429 ->
                new HostAgentException(
                        ErrorCode.UNAVAILABLE, "registry %s is rate-limiting pulls (429)%s".formatted(base, detail));
            default ->
                new HostAgentException(
                        ErrorCode.UNAVAILABLE,
                        "registry %s answered %d for %s of %s%s".formatted(base, status, what, image, detail));
        };
    }

    /** One GET with the current credentials, following redirects by hand. */
    private HttpResponse<InputStream> send(URI uri, String accept, String what) {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            cancellation.check();
            checkScheme(current);
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .timeout(HEADERS_TIMEOUT)
                    .header("Accept", accept)
                    .GET();
            boolean sameHost = current.getRawAuthority().equals(base.getRawAuthority());
            if (authorization != null && sameHost) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new HostAgentException(
                        ErrorCode.UNAVAILABLE,
                        "cannot reach registry %s for %s: %s".formatted(current.getRawAuthority(), what, e),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostAgentException(ErrorCode.UNAVAILABLE, "interrupted while fetching " + what, e);
            }
            int status = response.statusCode();
            if (status / 100 != 3 || status == 304) {
                return response;
            }
            Optional<String> location = response.headers().firstValue("Location");
            discard(response);
            if (location.isEmpty()) {
                throw new HostAgentException(
                        ErrorCode.UNAVAILABLE,
                        "registry redirected %s (%d) without a Location".formatted(what, status));
            }
            current = current.resolve(location.get());
        }
        throw new HostAgentException(
                ErrorCode.UNAVAILABLE, "registry redirected %s more than %d times".formatted(what, MAX_REDIRECTS));
    }

    private void authenticate(String challenge, String what) {
        String scheme = challenge.split(" ", 2)[0].strip();
        if (scheme.equalsIgnoreCase("Basic")) {
            authorization = basic.orElseThrow(() -> new HostAgentException(
                    ErrorCode.PERMISSION_DENIED,
                    "registry %s asks for credentials to pull %s; none were given".formatted(base, image)));
            return;
        }
        if (!scheme.equalsIgnoreCase("Bearer")) {
            throw new HostAgentException(
                    ErrorCode.PERMISSION_DENIED,
                    "registry %s answered 401 for %s with an unsupported challenge `%s`".formatted(base, what, scheme));
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null || realm.isEmpty()) {
            throw new HostAgentException(
                    ErrorCode.PERMISSION_DENIED, "registry %s sent a bearer challenge without a realm".formatted(base));
        }
        StringBuilder query = new StringBuilder();
        if (params.containsKey("service")) {
            query.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
        }
        String scope = params.getOrDefault("scope", "repository:" + image.repository() + ":pull");
        query.append(query.isEmpty() ? "" : "&")
                .append("scope=")
                .append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI realmUri;
        try {
            realmUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        } catch (IllegalArgumentException e) {
            throw new HostAgentException(
                    ErrorCode.PERMISSION_DENIED, "registry %s sent a bad token realm".formatted(base), e);
        }
        checkScheme(realmUri);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(realmUri).timeout(HEADERS_TIMEOUT).GET();
        basic.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.UNAVAILABLE,
                    "cannot reach the token service %s: %s".formatted(realmUri.getRawAuthority(), e),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostAgentException(ErrorCode.UNAVAILABLE, "interrupted while fetching a registry token", e);
        }
        byte[] body = readAll(response.body(), TOKEN_MAX, "token answer");
        if (response.statusCode() != 200) {
            throw new HostAgentException(
                    ErrorCode.PERMISSION_DENIED,
                    "the token service of %s refused %s (%d)%s"
                            .formatted(
                                    base,
                                    image,
                                    response.statusCode(),
                                    basic.isPresent() ? " with the given credentials" : ""));
        }
        try {
            JsonNode json = JSON.readTree(body);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty() || token.length() > 16_384) {
                throw new HostAgentException(
                        ErrorCode.PERMISSION_DENIED,
                        "the token service of %s answered without a token".formatted(base));
            }
            authorization = "Bearer " + token;
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.PERMISSION_DENIED, "the token service of %s answered no JSON".formatted(base), e);
        }
    }

    private void checkScheme(URI uri) {
        String scheme = uri.getScheme();
        if ("https".equals(scheme)) {
            return;
        }
        if ("http".equals(scheme) && mirrors.allowsPlainHttp(uri)) {
            return;
        }
        throw new HostAgentException(
                ErrorCode.FAILED_PRECONDITION,
                "refusing %s for registry traffic: plain http only for loopback registries and http mirrors given with --registry-mirror"
                        .formatted(uri.getScheme() + "://" + uri.getRawAuthority()));
    }

    private byte[] readAll(InputStream body, long cap, String what) {
        try (InputStream in = new BoundedStream(body, cap, STALL, SMALL_READ, what);
                AutoCloseable ignored = cancellation.closeOnCancel(in)) {
            return in.readAllBytes();
        } catch (Exception e) {
            cancellation.check();
            throw new HostAgentException(
                    ErrorCode.UNAVAILABLE, "reading %s from %s: %s".formatted(what, base, e.getMessage()), e);
        }
    }

    private static byte[] readQuietly(InputStream body) {
        try (InputStream in =
                new BoundedStream(body, 4096, Duration.ofSeconds(10), Duration.ofSeconds(10), "error body")) {
            return in.readNBytes(4096);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
