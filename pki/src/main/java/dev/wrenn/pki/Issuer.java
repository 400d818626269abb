package dev.wrenn.pki;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs end-entity certificates: the subject is {@code CN=<name>, OU=<role>}, the extended key usage is TLS client
 * for the control plane and TLS server for a host, and a host's name is also its subject alternative name (an IP
 * address or a DNS name) so that the control plane's hostname check passes only for the host it dialled.
 */
public final class Issuer {
    /** Certificates start a little in the past, so a host whose clock is slightly behind accepts them at once. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final X509Certificate caCertificate;
    private final PrivateKey caKey;
    private final Clock clock;

    Issuer(X509Certificate caCertificate, PrivateKey caKey, Clock clock) {
        this.caCertificate = caCertificate;
        this.caKey = caKey;
        this.clock = clock;
    }

    public X509Certificate issue(PublicKey publicKey, Role role, String name, Duration validity) {
        HostNames.requireValid(name);
        Instant now = clock.instant();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, name)
                .addRDN(BCStyle.OU, role.unit())
                .addRDN(BCStyle.O, "Wrenn")
                .build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            caCertificate,
                            ClusterCa.serial(),
                            Date.from(now.minus(CLOCK_SKEW)),
                            Date.from(now.plus(validity)),
                            subject,
                            publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose(role)))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(caCertificate))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
            if (role == Role.HOST) {
                builder.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(
                                HostNames.isIpAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name)));
            }
            return sign(builder, caKey);
        } catch (CertIOException | java.security.GeneralSecurityException e) {
            throw new PkiException("issuing a " + role.unit() + " certificate for " + name + ": " + e.getMessage(), e);
        }
    }

    private static KeyPurposeId purpose(Role role) {
        return role == Role.HOST ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
    }

    static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM).build(key)));
        } catch (OperatorCreationException | CertificateException e) {
            throw new PkiException("signing a certificate: " + e.getMessage(), e);
        }
    }
}
