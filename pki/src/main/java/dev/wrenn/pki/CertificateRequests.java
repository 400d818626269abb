package dev.wrenn.pki;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 requests: a host makes its own key pair and sends only a request, so its private key never leaves it.
 * The CA takes nothing from a request but its public key (after checking the request's signature): name, role and
 * validity are the CA's decision.
 */
public final class CertificateRequests {
    private CertificateRequests() {}

    public static String create(KeyPair pair, String name) {
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                            new X500Name("CN=" + name), pair.getPublic())
                    .build(new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM).build(pair.getPrivate()));
            return Pem.write(request);
        } catch (OperatorCreationException e) {
            throw new PkiException("making a certificate request: " + e.getMessage(), e);
        }
    }

    /** The request's public key, once its signature proves the sender holds the private key. */
    public static PublicKey verifiedKey(String pem) {
        JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(Pem.request(pem));
        try {
            PublicKey key = request.getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new PkiException("the certificate request's signature does not verify");
            }
            requireStrong(key);
            return key;
        } catch (OperatorCreationException | PKCSException | java.security.GeneralSecurityException e) {
            throw new PkiException("the certificate request cannot be verified: " + e.getMessage(), e);
        }
    }

    private static void requireStrong(PublicKey key) {
        boolean strong = key instanceof ECPublicKey ec
                        && ec.getParams().getCurve().getField().getFieldSize() >= 256
                || key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048;
        if (!strong) {
            throw new PkiException("the certificate request's key must be EC P-256 or larger, or RSA 2048 or larger");
        }
    }
}
