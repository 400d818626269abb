package dev.wrenn.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A private key and the certificate the CA issued for it. */
public record Identity(PrivateKey key, X509Certificate certificate) {
    public Identity {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
    }
}
