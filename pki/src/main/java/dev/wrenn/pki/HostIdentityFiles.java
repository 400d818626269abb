package dev.wrenn.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

/**
 * A host agent's enrolled identity on disk: {@code host.key}, {@code host.crt} and {@code ca.crt} in a directory
 * of their own (0700, files 0600). Loading checks what the handshake would otherwise find only at the first call:
 * the certificate is the CA's, is a host certificate, and is inside its validity.
 */
public final class HostIdentityFiles {
    public static final String KEY_FILE = "host.key";
    public static final String CERT_FILE = "host.crt";
    public static final String CA_FILE = "ca.crt";

    private HostIdentityFiles() {}

    /** The identity and the CA it trusts. */
    public record Stored(Identity identity, X509Certificate ca) {}

    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(CERT_FILE)) && Files.exists(dir.resolve(KEY_FILE));
    }

    /**
     * Writes all three, each replaced atomically. A crash between the key and the certificate leaves a pair that
     * does not match; the handshake then fails and the host is enrolled again (a token is cheap, a key never leaves).
     */
    public static void save(Path dir, Identity identity, X509Certificate ca) {
        PemFiles.createPrivateDirectory(dir);
        PemFiles.writePrivate(dir.resolve(KEY_FILE), Pem.write(identity.key()));
        PemFiles.writePrivate(dir.resolve(CA_FILE), Pem.write(ca));
        PemFiles.writePrivate(dir.resolve(CERT_FILE), Pem.write(identity.certificate()));
    }

    public static Stored load(Path dir, Instant now) {
        if (!exists(dir)) {
            throw new PkiException("no host certificate in " + dir + ": this host has not been enrolled");
        }
        X509Certificate ca = Pem.certificate(PemFiles.read(dir.resolve(CA_FILE)));
        Identity identity = new Identity(
                Pem.privateKey(PemFiles.read(dir.resolve(KEY_FILE))),
                Pem.certificate(PemFiles.read(dir.resolve(CERT_FILE))));
        check(identity.certificate(), ca, now);
        return new Stored(identity, ca);
    }

    /** A host certificate of {@code ca}, valid at {@code now}; the message says what is wrong otherwise. */
    public static void check(X509Certificate certificate, X509Certificate ca, Instant now) {
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new PkiException("the host certificate was not issued by the CA in ca.crt: " + e.getMessage(), e);
        }
        if (!Role.HOST.isHeldBy(certificate)) {
            throw new PkiException("the certificate is not a host certificate (subject OU " + Role.HOST.unit() + ")");
        }
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new PkiException("the host certificate expired on "
                    + certificate.getNotAfter().toInstant() + "; enroll this host again with a new token");
        } catch (CertificateNotYetValidException e) {
            throw new PkiException("the host certificate is not valid before "
                    + certificate.getNotBefore().toInstant() + " (is this host's clock right?)");
        }
    }
}
