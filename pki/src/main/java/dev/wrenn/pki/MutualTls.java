package dev.wrenn.pki;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * gRPC credentials for the two ends. A host agent's server demands a client certificate of the Wrenn CA with the
 * control-plane role; the control plane's channel presents its own and accepts only a host certificate of the same
 * CA for the name it dialled. Transport-neutral ({@code io.grpc} API only), so the Netty that gRPC shades is used.
 */
public final class MutualTls {
    private MutualTls() {}

    /** For a host agent's gRPC server. */
    public static ServerCredentials hostServer(Identity host, X509Certificate ca) {
        return TlsServerCredentials.newBuilder()
                .keyManager(keyManager(host, ca))
                .trustManager(new RoleTrustManager(ca, Role.CONTROL_PLANE))
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build();
    }

    /** For the control plane's channel to a host agent. */
    public static ChannelCredentials controlPlaneChannel(Identity controlPlane, X509Certificate ca) {
        return controlPlaneChannel(controlPlane, ca, PeerCheck.NONE);
    }

    /** As {@link #controlPlaneChannel(Identity, X509Certificate)}, refusing host certificates {@code hostCheck} refuses. */
    public static ChannelCredentials controlPlaneChannel(
            Identity controlPlane, X509Certificate ca, PeerCheck hostCheck) {
        return TlsChannelCredentials.newBuilder()
                .keyManager(keyManager(controlPlane, ca))
                .trustManager(new RoleTrustManager(ca, Role.HOST, hostCheck))
                .build();
    }

    // Only the leaf: the peer holds the CA as its trust anchor already.
    private static KeyManager keyManager(Identity identity, X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("identity", identity.key(), password, new X509Certificate[] {identity.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers()[0];
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PkiException("loading the TLS identity: " + e.getMessage(), e);
        }
    }
}
