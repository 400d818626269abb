package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wrenn up}'s loopback gRPC link as another local user would try it: a server built with the host agent's
 * credentials from {@link LoopbackTls} (no VMs: no service is registered, so a call that gets through the handshake
 * answers UNIMPLEMENTED) refuses plaintext and certificate-less clients and serves the control plane's credentials.
 */
@Tag("security")
class LoopbackTlsSecurityTest {
    @TempDir
    Path dataDir;

    @Test
    void only_the_control_plane_credentials_get_past_the_handshake() throws Exception {
        LoopbackTls tls = LoopbackTls.issue(dataDir);
        Server server = NettyServerBuilder.forAddress(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tls.hostServer())
                .build()
                .start();
        try {
            assertThat(callStatus(server, InsecureChannelCredentials.create())).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(callStatus(server, tls.controlPlaneChannel())).isEqualTo(Status.Code.UNIMPLEMENTED);
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_ca_key_is_readable_by_its_owner_only_and_kept_across_starts() throws Exception {
        LoopbackTls first = LoopbackTls.issue(dataDir);
        LoopbackTls second = LoopbackTls.issue(dataDir);

        assertThat(second.ca().fingerprint()).isEqualTo(first.ca().fingerprint());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("pki/ca.key"))))
                .isEqualTo("rw-------");
    }

    private static Status.Code callStatus(Server server, ChannelCredentials credentials) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), credentials)
                .build();
        try {
            try {
                HostAgentServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .listSandboxes(ListSandboxesRequest.getDefaultInstance());
                return Status.Code.OK;
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
