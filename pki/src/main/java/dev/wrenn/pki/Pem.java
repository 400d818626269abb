package dev.wrenn.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM text for certificates, PKCS#8 private keys and PKCS#10 requests. Every reader refuses anything else. */
public final class Pem {
    /** Far above any certificate or request this CA makes or accepts; a bigger text is refused unread. */
    public static final int MAX_CHARS = 16 * 1024;

    private Pem() {}

    public static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null)); // PKCS#8 "PRIVATE KEY", what Netty reads
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new PkiException("writing PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }

    public static X509Certificate certificate(String pem) {
        if (read(pem, "certificate") instanceof X509CertificateHolder holder) {
            try {
                return new JcaX509CertificateConverter().getCertificate(holder);
            } catch (CertificateException e) {
                throw new PkiException("reading a certificate: " + e.getMessage(), e);
            }
        }
        throw new PkiException("expected a PEM certificate (BEGIN CERTIFICATE)");
    }

    public static PrivateKey privateKey(String pem) {
        if (read(pem, "private key") instanceof PrivateKeyInfo info) {
            try {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            } catch (IOException e) {
                throw new PkiException("reading a private key: " + e.getMessage(), e);
            }
        }
        throw new PkiException("expected a PEM PKCS#8 private key (BEGIN PRIVATE KEY)");
    }

    public static PKCS10CertificationRequest request(String pem) {
        if (read(pem, "certificate request") instanceof PKCS10CertificationRequest request) {
            return request;
        }
        throw new PkiException("expected a PEM certificate request (BEGIN CERTIFICATE REQUEST)");
    }

    private static Object read(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new PkiException("the " + what + " is empty");
        }
        if (pem.length() > MAX_CHARS) {
            throw new PkiException("the " + what + " is longer than " + MAX_CHARS + " characters");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new PkiException("the " + what + " is not PEM");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PkiException known) {
                throw known;
            }
            throw new PkiException("the " + what + " is not valid PEM: " + e.getMessage(), e);
        }
    }
}
