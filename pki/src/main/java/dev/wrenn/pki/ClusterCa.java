package dev.wrenn.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The certificate authority that everything between the control plane and host agents chains to. Made once (an
 * ECDSA P-256 key, self-signed, {@link #CA_VALIDITY}) into a directory as {@code ca.crt} and {@code ca.key} (0600),
 * or given by the operator as two PEM files. It issues {@link Role}-marked certificates ({@link Issuer}).
 */
public final class ClusterCa {
    public static final Duration CA_VALIDITY = Duration.ofDays(5 * 365);
    public static final String CERT_FILE = "ca.crt";
    public static final String KEY_FILE = "ca.key";

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Clock clock;

    ClusterCa(X509Certificate certificate, PrivateKey key, Clock clock) {
        this.certificate = certificate;
        this.key = key;
        this.clock = clock;
    }

    /** A new CA, kept in memory only. */
    public static ClusterCa create(String name, Clock clock) {
        KeyPair pair = KeyPairs.newKeyPair();
        Instant now = clock.instant();
        X500Name subject = new X500Name("CN=" + name + ",O=Wrenn");
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject,
                            serial(),
                            java.util.Date.from(now.minus(Issuer.CLOCK_SKEW)),
                            java.util.Date.from(now.plus(CA_VALIDITY)),
                            subject,
                            pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new ClusterCa(Issuer.sign(builder, pair.getPrivate()), pair.getPrivate(), clock);
        } catch (CertIOException e) {
            throw new PkiException("making the CA certificate: " + e.getMessage(), e);
        }
    }

    /** The CA in {@code dir}, made there first (directory 0700, key 0600) when it has none yet. */
    public static ClusterCa loadOrCreate(Path dir, Clock clock) {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.exists(cert) || Files.exists(key)) {
            return load(cert, key, clock);
        }
        ClusterCa ca = create("Wrenn cluster CA", clock);
        PemFiles.createPrivateDirectory(dir);
        PemFiles.writePrivate(key, Pem.write(ca.key));
        PemFiles.writePrivate(cert, Pem.write(ca.certificate));
        return ca;
    }

    /** An operator's CA: a PEM certificate that may sign others and its PKCS#8 PEM private key. */
    public static ClusterCa load(Path certFile, Path keyFile, Clock clock) {
        X509Certificate certificate = Pem.certificate(PemFiles.read(certFile));
        PrivateKey key = Pem.privateKey(PemFiles.read(keyFile));
        if (certificate.getBasicConstraints() < 0) {
            throw new PkiException(certFile + " is not a CA certificate (no basicConstraints CA:true)");
        }
        return new ClusterCa(certificate, key, clock);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the CA certificate's DER, lower-case hex: what a host checks before it trusts an answer. */
    public String fingerprint() {
        return fingerprint(certificate);
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new PkiException("hashing a certificate: " + e.getMessage(), e);
        }
    }

    /** Issues certificates in this CA's name. */
    public Issuer issuer() {
        return new Issuer(certificate, key, clock);
    }

    /** A fresh key pair and its certificate for {@code role}, valid for {@code validity} from now. */
    public Identity newIdentity(Role role, String name, Duration validity) {
        KeyPair pair = KeyPairs.newKeyPair();
        return new Identity(pair.getPrivate(), issuer().issue(pair.getPublic(), role, name, validity));
    }

    /** Issues for a public key whose private key is held elsewhere (e.g. from a verified CSR). */
    public X509Certificate issue(PublicKey publicKey, Role role, String name, Duration validity) {
        return issuer().issue(publicKey, role, name, validity);
    }

    static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }

    static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static java.nio.file.attribute.FileAttribute<?> ownerOnly(boolean directory) {
        return PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
    }
}
