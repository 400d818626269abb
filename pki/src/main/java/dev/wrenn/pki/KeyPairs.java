package dev.wrenn.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Key pairs for the CA and every identity: ECDSA P-256 (small, fast to make, supported by every TLS stack). */
public final class KeyPairs {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private KeyPairs() {}

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("making an EC P-256 key pair: " + e.getMessage(), e);
        }
    }
}
