package dev.wrenn.launcher;

import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.Identity;
import dev.wrenn.pki.MutualTls;
import dev.wrenn.pki.Role;
import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Mutual TLS for {@code wrenn up}'s loopback gRPC link: the cluster CA lives in {@code <data>/pki} (made at the
 * first start, key 0600), and both certificates are issued afresh at every start and kept in memory only, so the
 * host agent's port serves nobody but this process's control plane even though any local user can reach it.
 */
record LoopbackTls(ClusterCa ca, Identity host, Identity controlPlane) {
    /** A start lasts far less; a fresh pair is issued at the next start. */
    static final Duration VALIDITY = Duration.ofDays(365);

    static LoopbackTls issue(Path dataDir) {
        ClusterCa ca = ClusterCa.loadOrCreate(dataDir.resolve("pki"), Clock.systemUTC());
        return new LoopbackTls(
                ca,
                ca.newIdentity(Role.HOST, "127.0.0.1", VALIDITY),
                ca.newIdentity(Role.CONTROL_PLANE, "wrenn-up", VALIDITY));
    }

    ServerCredentials hostServer() {
        return MutualTls.hostServer(host, ca.certificate());
    }

    ChannelCredentials controlPlaneChannel() {
        return MutualTls.controlPlaneChannel(controlPlane, ca.certificate());
    }
}
