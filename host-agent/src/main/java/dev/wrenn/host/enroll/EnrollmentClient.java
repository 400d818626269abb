package dev.wrenn.host.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.pki.CertificateRequests;
import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.EnrollmentToken;
import dev.wrenn.pki.HostIdentityFiles;
import dev.wrenn.pki.Identity;
import dev.wrenn.pki.KeyPairs;
import dev.wrenn.pki.Pem;
import dev.wrenn.pki.PkiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Enrolls this host: makes a key pair here (the private key never leaves), sends a certificate request with the
 * one-time token to the control plane's {@code POST /v1/hosts/enroll}, and keeps the answer only if the CA it names
 * is the one the token was made for (its SHA-256 is part of the token), the certificate is that CA's host
 * certificate, and it is for this key. Then key, certificate and CA go to {@code host-pki/} (0700, files 0600).
 */
public final class EnrollmentClient {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** An answer holds two certificates: a few KiB. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public EnrollmentClient(Clock clock) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.clock = clock;
    }

    /** @return the name the new certificate carries */
    public String enroll(URI controlPlane, String tokenText, Path pkiDir) {
        EnrollmentToken token = EnrollmentToken.parse(tokenText);
        KeyPair pair = KeyPairs.newKeyPair();
        JsonNode answer = post(
                controlPlane.resolve("/v1/hosts/enroll"),
                Map.of("token", token.toString(), "csr", CertificateRequests.create(pair, "wrenn-host")));
        X509Certificate ca = Pem.certificate(text(answer, "ca_certificate"));
        if (!ClusterCa.fingerprint(ca).equals(token.caFingerprint())) {
            throw new PkiException("the control plane answered with a CA whose SHA-256 is not the token's: refused");
        }
        X509Certificate certificate = Pem.certificate(text(answer, "certificate"));
        HostIdentityFiles.check(certificate, ca, clock.instant());
        if (!certificate.getPublicKey().equals(pair.getPublic())) {
            throw new PkiException("the control plane answered with a certificate for another key: refused");
        }
        HostIdentityFiles.save(pkiDir, new Identity(pair.getPrivate(), certificate), ca);
        return text(answer, "host");
    }

    private JsonNode post(URI uri, Map<String, String> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            JsonNode answer = readCapped(response.body());
            if (response.statusCode() != 200) {
                throw new PkiException("the control plane refused the enrollment (HTTP " + response.statusCode() + "): "
                        + answer.path("error").path("message").asText("no message"));
            }
            return answer;
        } catch (IOException e) {
            throw new PkiException("enrolling at " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PkiException("enrolling at " + uri + ": interrupted", e);
        }
    }

    private JsonNode readCapped(InputStream body) throws IOException {
        try (body) {
            byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new PkiException("the control plane's answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        }
    }

    private static String text(JsonNode answer, String field) {
        JsonNode node = answer.get(field);
        if (node == null || !node.isTextual()) {
            throw new PkiException("the control plane's answer has no `" + field + "`");
        }
        return node.asText();
    }
}
