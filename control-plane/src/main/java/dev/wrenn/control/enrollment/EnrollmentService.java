package dev.wrenn.control.enrollment;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.pki.CertificateRequests;
import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.EnrollmentToken;
import dev.wrenn.pki.HostNames;
import dev.wrenn.pki.Pem;
import dev.wrenn.pki.PkiException;
import dev.wrenn.pki.Role;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Host enrollment: an administrator asks for a one-time token naming the host (the address the control plane will
 * dial); the host presents it once with a certificate request and gets a host certificate for that name, signed by
 * the cluster CA, and the CA's certificate. The name comes from the token, never from the host, so a token holder
 * cannot claim another host's address.
 */
public final class EnrollmentService {
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(15);
    public static final Duration MAX_TOKEN_TTL = Duration.ofHours(24);
    /** Short enough that a stolen host key stops working on its own; hosts re-enroll before it ends. */
    public static final Duration HOST_CERT_VALIDITY = Duration.ofDays(90);

    private static final String INVALID = "the enrollment token is not valid";

    private final EnrollmentRepository repository;
    private final ClusterCa ca;
    private final Clock clock;

    public EnrollmentService(Database database, ClusterCa ca, Clock clock) {
        this.repository = new EnrollmentRepository(database);
        this.ca = ca;
        this.clock = clock;
    }

    public IssuedToken issueToken(String host, Duration ttl) {
        requireHostName(host);
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
            throw ApiException.invalid("an enrollment token lasts between 60 and " + MAX_TOKEN_TTL.toSeconds()
                    + " seconds (got " + ttl.toSeconds() + ")");
        }
        EnrollmentToken token = EnrollmentToken.generate(ca.fingerprint());
        Instant now = clock.instant();
        repository.insertToken(token.id(), token.secretHash(), host, now, now.plus(ttl));
        return new IssuedToken(token.toString(), host, now.plus(ttl), ca.fingerprint());
    }

    /** Spends the token and returns the host's certificate; every refusal is a 4xx that spent nothing. */
    public IssuedCertificate enroll(String tokenText, String csrPem) {
        EnrollmentToken token = parse(tokenText);
        EnrollmentRepository.TokenRow row = validRow(token);
        PublicKey key = verifiedKey(csrPem);
        if (!repository.spend(row.id(), clock.instant())) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "the enrollment token has already been used");
        }
        X509Certificate certificate = ca.issue(key, Role.HOST, row.hostName(), HOST_CERT_VALIDITY);
        Instant notAfter = certificate.getNotAfter().toInstant();
        repository.registerHost(new EnrolledHost(
                row.hostName(), certificate.getSerialNumber().toString(16), notAfter, clock.instant()));
        return new IssuedCertificate(row.hostName(), Pem.write(certificate), Pem.write(ca.certificate()), notAfter);
    }

    public List<EnrolledHost> hosts() {
        return repository.hosts();
    }

    private static EnrollmentToken parse(String text) {
        try {
            return EnrollmentToken.parse(text);
        } catch (PkiException e) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, INVALID + ": " + e.getMessage());
        }
    }

    // Used and expired are said only to a caller who holds the secret: anyone else learns nothing about the row.
    private EnrollmentRepository.TokenRow validRow(EnrollmentToken token) {
        if (!token.caFingerprint().equals(ca.fingerprint())) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, INVALID + ": it names another cluster CA");
        }
        EnrollmentRepository.TokenRow row = repository.findToken(token.id()).orElse(null);
        if (row == null || !token.matches(row.secretHash())) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, INVALID);
        }
        if (row.usedAt() != null) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "the enrollment token has already been used");
        }
        if (!clock.instant().isBefore(row.expiresAt())) {
            throw new ApiException(
                    ErrorCode.UNAUTHORIZED,
                    "the enrollment token expired at " + row.expiresAt() + "; ask for a new one");
        }
        return row;
    }

    private static PublicKey verifiedKey(String csrPem) {
        try {
            return CertificateRequests.verifiedKey(csrPem);
        } catch (PkiException e) {
            throw ApiException.invalid("csr: " + e.getMessage());
        }
    }

    private static void requireHostName(String host) {
        try {
            HostNames.requireValid(host);
        } catch (PkiException e) {
            throw ApiException.invalid("host: " + e.getMessage() + " (the address the control plane dials)");
        }
    }
}
