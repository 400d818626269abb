package dev.wrenn.control.hosts;

import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.MutualTls;
import dev.wrenn.pki.PeerCheck;
import dev.wrenn.pki.Role;
import io.grpc.ChannelCredentials;
import java.time.Duration;

/**
 * The control plane's side of mutual TLS to host agents: a client certificate with the control-plane role, issued
 * by the cluster CA at each start and kept in memory only (nothing to steal from disk but the CA key itself); the
 * host's certificate must be the same CA's, carry the host role, and name the address dialled.
 */
public final class HostAgentTls {
    /** Longer than any one run; a restart issues a fresh one. */
    static final Duration CLIENT_VALIDITY = Duration.ofDays(365);

    private HostAgentTls() {}

    public static ChannelCredentials channel(ClusterCa ca) {
        return channel(ca, PeerCheck.NONE);
    }

    /** As {@link #channel(ClusterCa)}, also refusing host certificates {@code hostCheck} refuses (replaced ones). */
    public static ChannelCredentials channel(ClusterCa ca, PeerCheck hostCheck) {
        return MutualTls.controlPlaneChannel(
                ca.newIdentity(Role.CONTROL_PLANE, "wrenn-control-plane", CLIENT_VALIDITY),
                ca.certificate(),
                hostCheck);
    }
}
