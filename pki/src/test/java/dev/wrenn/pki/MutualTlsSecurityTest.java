package dev.wrenn.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the host agent's gRPC credentials ({@link MutualTls#hostServer}), over real TLS on loopback: every
 * client that is not the control plane of this cluster's CA is refused in the handshake.
 */
@Tag("security")
class MutualTlsSecurityTest {
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path caDir;

    private ClusterCa ca;
    private EchoServer agent;

    @BeforeEach
    void serve() throws Exception {
        ca = ClusterCa.loadOrCreate(caDir, Clock.systemUTC());
        Identity host = ca.newIdentity(Role.HOST, "127.0.0.1", DAY);
        agent = new EchoServer(MutualTls.hostServer(host, ca.certificate()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        agent.close();
    }

    @Test
    void the_control_plane_of_the_same_ca_is_served() throws Exception {
        Identity controlPlane = ca.newIdentity(Role.CONTROL_PLANE, "control-plane", DAY);

        byte[] answer = agent.call(MutualTls.controlPlaneChannel(controlPlane, ca.certificate()), "127.0.0.1");

        assertThat(new String(answer)).isEqualTo("hi");
    }

    @Test
    void a_client_without_a_certificate_is_refused() {
        var noCertificate = TlsChannelCredentials.newBuilder()
                .trustManager(new RoleTrustManager(ca.certificate(), Role.HOST))
                .build();

        assertRefused(() -> agent.call(noCertificate, "127.0.0.1"));
    }

    @Test
    void a_control_plane_certificate_from_another_ca_is_refused() {
        ClusterCa other = ClusterCa.create("attacker CA", Clock.systemUTC());
        Identity forged = other.newIdentity(Role.CONTROL_PLANE, "control-plane", DAY);

        assertRefused(() -> agent.call(MutualTls.controlPlaneChannel(forged, ca.certificate()), "127.0.0.1"));
    }

    @Test
    void an_expired_control_plane_certificate_is_refused() {
        Clock tenDaysAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(10)), ZoneOffset.UTC);
        Identity expired = ClusterCa.load(
                        caDir.resolve(ClusterCa.CERT_FILE), caDir.resolve(ClusterCa.KEY_FILE), tenDaysAgo)
                .newIdentity(Role.CONTROL_PLANE, "control-plane", DAY);

        assertRefused(() -> agent.call(MutualTls.controlPlaneChannel(expired, ca.certificate()), "127.0.0.1"));
    }

    @Test
    void a_host_certificate_presented_as_a_client_is_refused() {
        Identity otherHost = ca.newIdentity(Role.HOST, "127.0.0.1", DAY);

        assertRefused(() -> agent.call(MutualTls.controlPlaneChannel(otherHost, ca.certificate()), "127.0.0.1"));
    }

    @Test
    void the_control_plane_refuses_a_host_certificate_from_another_ca() throws Exception {
        ClusterCa other = ClusterCa.create("attacker CA", Clock.systemUTC());
        Identity controlPlane = ca.newIdentity(Role.CONTROL_PLANE, "control-plane", DAY);
        try (EchoServer impostor = new EchoServer(
                MutualTls.hostServer(other.newIdentity(Role.HOST, "127.0.0.1", DAY), ca.certificate()))) {
            assertRefused(
                    () -> impostor.call(MutualTls.controlPlaneChannel(controlPlane, ca.certificate()), "127.0.0.1"));
        }
    }

    @Test
    void the_control_plane_refuses_a_host_certificate_issued_for_another_address() throws Exception {
        Identity controlPlane = ca.newIdentity(Role.CONTROL_PLANE, "control-plane", DAY);
        try (EchoServer elsewhere =
                new EchoServer(MutualTls.hostServer(ca.newIdentity(Role.HOST, "10.9.9.9", DAY), ca.certificate()))) {
            assertRefused(
                    () -> elsewhere.call(MutualTls.controlPlaneChannel(controlPlane, ca.certificate()), "127.0.0.1"));
        }
    }

    private static void assertRefused(ThrowingCall call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }
}
