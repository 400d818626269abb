package dev.wrenn.pki;

import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What a certificate of the Wrenn CA lets its holder be. The role is the subject's organizational unit, set only by
 * the CA, so a host certificate cannot act as the control plane (and the extended key usage differs as well).
 */
public enum Role {
    /** The gRPC client that drives host agents. */
    CONTROL_PLANE("wrenn-control-plane"),
    /** A host agent's gRPC server. */
    HOST("wrenn-host");

    private final String unit;

    Role(String unit) {
        this.unit = unit;
    }

    /** The subject OU that marks this role. */
    public String unit() {
        return unit;
    }

    /** Whether the certificate's subject names exactly this role (one OU, equal to ours). */
    public boolean isHeldBy(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            long matching = 0;
            long units = 0;
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU")) {
                    units++;
                    matching += unit.equals(rdn.getValue().toString()) ? 1 : 0;
                }
            }
            return units == 1 && matching == 1;
        } catch (InvalidNameException e) {
            return false;
        }
    }
}
