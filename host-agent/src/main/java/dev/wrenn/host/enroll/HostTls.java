package dev.wrenn.host.enroll;

import dev.wrenn.pki.HostIdentityFiles;
import dev.wrenn.pki.MutualTls;
import io.grpc.ServerCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone host agent's gRPC credentials: its enrolled certificate, and only control-plane certificates of the
 * same CA accepted as clients. Without an enrolled, unexpired certificate the agent does not start: there is no
 * plaintext mode.
 */
public final class HostTls {
    private static final Logger log = LoggerFactory.getLogger(HostTls.class);
    /** Past this, each start says the certificate should be renewed. */
    static final Duration RENEW_WARNING = Duration.ofDays(30);

    private HostTls() {}

    public static ServerCredentials serverCredentials(Path pkiDir, Clock clock) {
        HostIdentityFiles.Stored stored = HostIdentityFiles.load(pkiDir, clock.instant());
        Instant notAfter = stored.identity().certificate().getNotAfter().toInstant();
        if (notAfter.isBefore(clock.instant().plus(RENEW_WARNING))) {
            log.warn(
                    "the host certificate in {} expires at {}: enroll again with a new token before then",
                    pkiDir,
                    notAfter);
        }
        log.info(
                "mutual TLS: host certificate {} valid until {}",
                stored.identity().certificate().getSubjectX500Principal().getName(),
                notAfter);
        return MutualTls.hostServer(stored.identity(), stored.ca());
    }
}
