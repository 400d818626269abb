package dev.wrenn.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {
    private static final Duration DAYS_90 = Duration.ofDays(90);

    @TempDir
    Path dir;

    @Test
    void is_made_once_with_an_owner_only_key_and_loaded_again_unchanged() throws Exception {
        ClusterCa made = ClusterCa.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
        ClusterCa loaded = ClusterCa.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());

        assertThat(loaded.fingerprint()).isEqualTo(made.fingerprint()).hasSize(64);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca"))))
                .isEqualTo("rwx------");
        assertThat(made.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void a_host_certificate_names_the_host_and_its_role_and_is_signed_by_the_ca() throws Exception {
        ClusterCa ca = ClusterCa.create("test CA", Clock.systemUTC());

        X509Certificate cert = ca.newIdentity(Role.HOST, "10.0.0.5", DAYS_90).certificate();

        cert.verify(ca.certificate().getPublicKey());
        assertThat(Role.HOST.isHeldBy(cert)).isTrue();
        assertThat(Role.CONTROL_PLANE.isHeldBy(cert)).isFalse();
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(7, "10.0.0.5"));
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth only
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(Duration.between(
                        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
                .isEqualTo(DAYS_90.plus(Issuer.CLOCK_SKEW));
    }

    @Test
    void a_control_plane_certificate_is_for_tls_clients_only() throws Exception {
        ClusterCa ca = ClusterCa.create("test CA", Clock.systemUTC());

        X509Certificate cert =
                ca.newIdentity(Role.CONTROL_PLANE, "control-plane", DAYS_90).certificate();

        assertThat(Role.CONTROL_PLANE.isHeldBy(cert)).isTrue();
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth only
    }

    @Test
    void a_signed_request_yields_a_certificate_for_the_requesters_key_only() {
        ClusterCa ca = ClusterCa.create("test CA", Clock.systemUTC());
        KeyPair pair = KeyPairs.newKeyPair();

        X509Certificate cert = ca.issue(
                CertificateRequests.verifiedKey(CertificateRequests.create(pair, "ignored")),
                Role.HOST,
                "host-1.example",
                DAYS_90);

        assertThat(cert.getPublicKey()).isEqualTo(pair.getPublic());
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=host-1.example");
    }

    @Test
    void a_request_whose_signature_does_not_match_its_key_is_refused() {
        String request = CertificateRequests.create(KeyPairs.newKeyPair(), "h");
        String tampered = Pem.write(new org.bouncycastle.pkcs.PKCS10CertificationRequest(
                new org.bouncycastle.asn1.pkcs.CertificationRequest(
                        Pem.request(CertificateRequests.create(KeyPairs.newKeyPair(), "h"))
                                .toASN1Structure()
                                .getCertificationRequestInfo(),
                        Pem.request(request).getSignatureAlgorithm(),
                        Pem.request(request).toASN1Structure().getSignature())));

        assertThatThrownBy(() -> CertificateRequests.verifiedKey(tampered))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void garbage_oversized_and_wrong_kinds_of_pem_are_refused_with_a_reason() {
        assertThatThrownBy(() -> CertificateRequests.verifiedKey("not pem")).isInstanceOf(PkiException.class);
        assertThatThrownBy(() -> CertificateRequests.verifiedKey("A".repeat(Pem.MAX_CHARS + 1)))
                .hasMessageContaining("longer than");
        String cert = Pem.write(ClusterCa.create("x", Clock.systemUTC()).certificate());
        assertThatThrownBy(() -> CertificateRequests.verifiedKey(cert)).hasMessageContaining("CERTIFICATE REQUEST");
    }

    @Test
    void names_that_are_not_addresses_or_dns_names_are_refused() {
        ClusterCa ca = ClusterCa.create("test CA", Clock.systemUTC());

        for (String bad : List.of("", "a,OU=wrenn-control-plane", "host name", "-x", "a..b")) {
            assertThatThrownBy(() -> ca.newIdentity(Role.HOST, bad, DAYS_90))
                    .as(bad)
                    .isInstanceOf(PkiException.class);
        }
    }

    @Test
    void an_operators_certificate_that_is_not_a_ca_is_refused() {
        ClusterCa ca = ClusterCa.create("test CA", Clock.systemUTC());
        Identity leaf = ca.newIdentity(Role.HOST, "h", DAYS_90);
        Path cert = dir.resolve("leaf.crt");
        Path key = dir.resolve("leaf.key");
        PemFiles.writePrivate(cert, Pem.write(leaf.certificate()));
        PemFiles.writePrivate(key, Pem.write(leaf.key()));

        assertThatThrownBy(() -> ClusterCa.load(cert, key, Clock.systemUTC())).hasMessageContaining("not a CA");
    }
}
