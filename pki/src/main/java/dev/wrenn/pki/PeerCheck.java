package dev.wrenn.pki;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A check of the peer's leaf certificate beyond the CA's chain and the role, run during the handshake: the control
 * plane uses it to refuse a host certificate that a newer enrollment of the same host replaced.
 */
@FunctionalInterface
public interface PeerCheck {
    /** Accepts every certificate the chain and role checks accepted. */
    PeerCheck NONE = leaf -> {};

    /** Throws to refuse {@code leaf}; the message reaches the handshake's error. */
    void check(X509Certificate leaf) throws CertificateException;
}
