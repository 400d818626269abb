package dev.wrenn.control.enrollment;

import dev.wrenn.control.db.Database;
import dev.wrenn.pki.HostNames;
import dev.wrenn.pki.PeerCheck;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation of replaced host certificates. A host that enrolls again (certificate rotation, or a new key after a
 * leak) replaces its row in {@code hosts}; from then on only its newest certificate is accepted for that host's
 * names: a handshake presenting an older one — say, stolen from the host's old key files — is refused, though the
 * older one has not expired. Hosts that never enrolled (the in-memory certificates of {@code wrenn up}'s loopback link)
 * have no row and are not affected.
 *
 * <p>Handshakes are rare (one per host connection), so each reads the table; if the database cannot be read, the last
 * table read is used, and before any read succeeded the handshake is refused (fail closed).
 */
public final class CurrentHostCertificates implements PeerCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CurrentHostCertificates.class);
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final EnrollmentRepository repository;
    private volatile Map<String, String> lastRead;

    public CurrentHostCertificates(Database database) {
        this.repository = new EnrollmentRepository(database);
    }

    @Override
    public void check(X509Certificate leaf) throws CertificateException {
        Map<String, String> serials = newestSerials();
        String serial = leaf.getSerialNumber().toString(16);
        for (String name : names(leaf)) {
            String newest = serials.get(name);
            if (newest != null && !newest.equalsIgnoreCase(serial)) {
                LOG.warn("refused host certificate serial {} for {}: replaced by serial {}", serial, name, newest);
                throw new CertificateException("the host certificate (serial " + serial + ") for " + name
                        + " was replaced by a newer enrollment (serial " + newest + ") and is revoked");
            }
        }
    }

    private Map<String, String> newestSerials() throws CertificateException {
        try {
            Map<String, String> read = repository.hosts().stream()
                    .collect(Collectors.toMap(host -> canonical(host.name()), EnrolledHost::certSerial, (a, b) -> b));
            lastRead = read;
            return read;
        } catch (RuntimeException e) {
            Map<String, String> fallback = lastRead;
            if (fallback == null) {
                throw new CertificateException(
                        "cannot check the host certificate against the enrolled hosts: " + e.getMessage(), e);
            }
            LOG.warn("enrolled hosts unreadable ({}); checking against the last read", e.getMessage());
            return fallback;
        }
    }

    /** The DNS names and IP addresses the certificate is valid for, in canonical form. */
    private static List<String> names(X509Certificate leaf) throws CertificateException {
        Collection<List<?>> entries;
        try {
            entries = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable subject alternative names: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        if (entries != null) {
            for (List<?> entry : entries) {
                Object type = entry.get(0);
                if (type instanceof Integer kind && (kind == SAN_DNS || kind == SAN_IP)) {
                    names.add(canonical(String.valueOf(entry.get(1))));
                }
            }
        }
        return names;
    }

    /** One spelling per address: IP literals as the JDK prints their bytes, DNS names in lower case. */
    static String canonical(String name) {
        if (HostNames.isIpAddress(name)) {
            try {
                return InetAddress.getByName(name).getHostAddress();
            } catch (UnknownHostException e) {
                return name; // a literal never needs a lookup; keep it as written if the JDK disagrees
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
