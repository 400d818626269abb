package dev.wrenn.control.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.enrollment.CurrentHostCertificates;
import dev.wrenn.control.enrollment.EnrollmentService;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.hosts.HostAgentTls;
import dev.wrenn.control.testing.TestServer;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.pki.CertificateRequests;
import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.EnrollmentToken;
import dev.wrenn.pki.Identity;
import dev.wrenn.pki.KeyPairs;
import dev.wrenn.pki.MutualTls;
import dev.wrenn.pki.Pem;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host enrollment attacked through the control plane's HTTP API: a token is given only to an administrator, works
 * once, not after its expiry, not with a wrong secret, and the certificate it buys serves the control plane's
 * mutual-TLS link to a host (a fake host agent service behind the real credentials) for the token's address only.
 */
@Tag("security")
class HostEnrollmentSecurityTest {
    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.now());
    private ClusterCa ca;
    private Database database;
    private TestServer server;
    private String admin;

    @BeforeEach
    void start() {
        ca = ClusterCa.loadOrCreate(dir.resolve("pki"), Clock.systemUTC());
        database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")));
        server = TestServer.startWithEnrollment(
                database, TestServer.config(dir), clock, new EnrollmentService(database, ca, clock));
        admin = TestServer.bearer(server.signup("root@example.com", "correct horse"));
    }

    @AfterEach
    void stop() {
        server.close();
        database.close();
    }

    @Test
    void onlyAnAdministratorGetsAToken() {
        String member = TestServer.bearer(server.signup("member@example.com", "battery staple"));
        String body = TestServer.json("host", "127.0.0.1");

        assertThat(server.post("/v1/admin/hosts/enrollment-tokens", body).status())
                .isEqualTo(401);
        assertThat(server.post("/v1/admin/hosts/enrollment-tokens", body, "Authorization", member)
                        .status())
                .isEqualTo(403);
        Reply issued = server.post("/v1/admin/hosts/enrollment-tokens", body, "Authorization", admin);
        assertThat(issued.status()).isEqualTo(201);
        assertThat(EnrollmentToken.parse(issued.json().get("token").asText()).caFingerprint())
                .isEqualTo(ca.fingerprint());
        assertThat(server.post(
                                "/v1/admin/hosts/enrollment-tokens",
                                TestServer.json("host", "evil;name"),
                                "Authorization",
                                admin)
                        .errorCode())
                .isEqualTo("invalid_request");
    }

    @Test
    void aTokenEnrollsOnceAndIsRefusedTheSecondTime() {
        String token = token("127.0.0.1");

        Reply first = enroll(token, csr(KeyPairs.newKeyPair()));
        Reply again = enroll(token, csr(KeyPairs.newKeyPair()));

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.errorMessage()).contains("already been used");
        assertThat(server.get("/v1/admin/hosts", "Authorization", admin)
                        .json()
                        .get("hosts")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = token("127.0.0.1");
        clock.advance(EnrollmentService.DEFAULT_TOKEN_TTL.plusSeconds(1));

        Reply late = enroll(token, csr(KeyPairs.newKeyPair()));

        assertThat(late.status()).isEqualTo(401);
        assertThat(late.errorMessage()).contains("expired");
    }

    @Test
    void aWrongTokenIsRefusedAndSpendsNothing() {
        EnrollmentToken real = EnrollmentToken.parse(token("127.0.0.1"));
        EnrollmentToken guessed = EnrollmentToken.generate(ca.fingerprint());
        EnrollmentToken otherSecret = new EnrollmentToken(real.id(), guessed.secret(), real.caFingerprint());
        String csr = csr(KeyPairs.newKeyPair());

        Reply wrongSecret = enroll(otherSecret.toString(), csr);
        Reply unknown = enroll(guessed.toString(), csr);
        Reply garbage = enroll("not-a-token", csr);
        Reply badCsr =
                enroll(real.toString(), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----");

        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.errorMessage()).isEqualTo("the enrollment token is not valid");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(badCsr.status()).isEqualTo(400);
        assertThat(enroll(real.toString(), csr).status()).isEqualTo(200);
    }

    @Test
    void guessingIsRateLimited() {
        String csr = csr(KeyPairs.newKeyPair());
        int limited = 0;
        for (int i = 0; i < 15; i++) {
            limited += enroll(EnrollmentToken.generate(ca.fingerprint()).toString(), csr)
                                    .status()
                            == 429
                    ? 1
                    : 0;
        }
        assertThat(limited).isGreaterThan(0);
    }

    @Test
    void theEnrolledCertificateServesTheControlPlaneForItsAddressOnly() throws Exception {
        KeyPair key = KeyPairs.newKeyPair();
        Reply enrolled = enroll(token("127.0.0.1"), csr(key));
        X509Certificate certificate =
                Pem.certificate(enrolled.json().get("certificate").asText());
        X509Certificate caCertificate =
                Pem.certificate(enrolled.json().get("ca_certificate").asText());
        Identity host = new Identity(key.getPrivate(), certificate);

        Server agent = fakeAgent(host, caCertificate);
        try (GrpcHostAgentClient client =
                        GrpcHostAgentClient.connect("127.0.0.1:" + agent.getPort(), HostAgentTls.channel(ca));
                GrpcHostAgentClient byOtherName =
                        GrpcHostAgentClient.connect("localhost:" + agent.getPort(), HostAgentTls.channel(ca));
                GrpcHostAgentClient otherCa = GrpcHostAgentClient.connect(
                        "127.0.0.1:" + agent.getPort(),
                        HostAgentTls.channel(ClusterCa.create("attacker CA", Clock.systemUTC())))) {
            assertThat(client.listSandboxes().getSandboxesList())
                    .extracting(SandboxInfo::getSandboxId)
                    .containsExactly("sb-enrolled1");
            assertThatThrownBy(byOtherName::listSandboxes).isInstanceOf(ApiException.class);
            assertThatThrownBy(otherCa::listSandboxes).isInstanceOf(ApiException.class);
        } finally {
            agent.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCertificateReplacedByANewerEnrollmentOfTheSameHostIsRefused() throws Exception {
        KeyPair oldKey = KeyPairs.newKeyPair();
        Identity oldHost = identity(oldKey, enroll(token("127.0.0.1"), csr(oldKey)));
        KeyPair newKey = KeyPairs.newKeyPair();
        Identity newHost = identity(newKey, enroll(token("127.0.0.1"), csr(newKey)));

        Server stolen = fakeAgent(oldHost, ca.certificate());
        Server current = fakeAgent(newHost, ca.certificate());
        try (GrpcHostAgentClient toStolen = GrpcHostAgentClient.connect(
                        "127.0.0.1:" + stolen.getPort(),
                        HostAgentTls.channel(ca, new CurrentHostCertificates(database)));
                GrpcHostAgentClient toCurrent = GrpcHostAgentClient.connect(
                        "127.0.0.1:" + current.getPort(),
                        HostAgentTls.channel(ca, new CurrentHostCertificates(database)))) {
            assertThat(oldHost.certificate().getNotAfter()).isAfter(new java.util.Date());
            assertThatThrownBy(toStolen::listSandboxes).isInstanceOf(ApiException.class);
            assertThat(toCurrent.listSandboxes().getSandboxesList())
                    .extracting(SandboxInfo::getSandboxId)
                    .containsExactly("sb-enrolled1");
        } finally {
            stolen.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            current.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static Identity identity(KeyPair key, Reply enrolled) {
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(200);
        return new Identity(
                key.getPrivate(),
                Pem.certificate(enrolled.json().get("certificate").asText()));
    }

    private String token(String host) {
        Reply issued =
                server.post("/v1/admin/hosts/enrollment-tokens", TestServer.json("host", host), "Authorization", admin);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json().get("token").asText();
    }

    private Reply enroll(String token, String csr) {
        return server.post("/v1/hosts/enroll", TestServer.json("token", token, "csr", csr));
    }

    private static String csr(KeyPair key) {
        return CertificateRequests.create(key, "whatever-the-host-claims");
    }

    /** A host agent's gRPC service that knows one sandbox, behind the host's real mutual-TLS credentials. */
    private static Server fakeAgent(Identity host, X509Certificate ca) throws java.io.IOException {
        return NettyServerBuilder.forAddress(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MutualTls.hostServer(host, ca))
                .addService(new HostAgentServiceGrpc.HostAgentServiceImplBase() {
                    @Override
                    public void listSandboxes(
                            ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> response) {
                        response.onNext(ListSandboxesResponse.newBuilder()
                                .addSandboxes(SandboxInfo.newBuilder().setSandboxId("sb-enrolled1"))
                                .build());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
    }

    /** Wall-clock time that a test moves forward. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
