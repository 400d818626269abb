package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.control.ControlPlane;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.enrollment.ClusterCaSource;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.hosts.GrpcHostAgentClient;
import dev.wrenn.control.hosts.HostAgentTls;
import dev.wrenn.host.HostAgent;
import dev.wrenn.host.api.HostAgentGrpcService;
import dev.wrenn.host.enroll.EnrollOptions;
import dev.wrenn.host.enroll.EnrollmentClient;
import dev.wrenn.host.enroll.HostTls;
import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.pki.ClusterCa;
import dev.wrenn.pki.MutualTls;
import dev.wrenn.pki.PkiException;
import dev.wrenn.pki.Role;
import io.grpc.ChannelCredentials;
import io.grpc.Server;
import io.grpc.TlsChannelCredentials;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone control plane ({@link ControlPlane#start(Config, ClusterCa)}, its CA made in its data directory) and
 * the real host agent's enrollment and gRPC listener ({@link EnrollmentClient}, {@link HostTls},
 * {@link HostAgent#listen}, {@link HostAgentGrpcService} over a manager that boots nothing): the enrolled host serves
 * the control plane, and refuses a client without a certificate, with another CA's, and with an expired one.
 */
@Tag("security")
class StandaloneEnrollmentSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path controlDir;

    @TempDir
    Path hostDir;

    @Test
    void anEnrolledHostAgentServesOnlyItsControlPlane() throws Exception {
        ClusterCa ca = new ClusterCaSource(null, null).load(controlDir, Clock.systemUTC());
        assertThat(mode(controlDir.resolve("pki"))).isEqualTo("rwx------");
        assertThat(mode(controlDir.resolve("pki/ca.key"))).isEqualTo("rw-------");
        int agentPort = freePort();
        Path pki = hostDir.resolve(EnrollOptions.PKI_DIR);
        assertThatThrownBy(() -> HostTls.serverCredentials(pki, Clock.systemUTC()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("has not been enrolled");

        try (ControlPlane controlPlane = ControlPlane.start(config(agentPort), ca)) {
            URI api = URI.create("http://127.0.0.1:" + controlPlane.port());
            String token = enrollmentToken(api);
            assertThat(new EnrollmentClient(Clock.systemUTC()).enroll(api, token, pki))
                    .isEqualTo("127.0.0.1");
            assertThatThrownBy(() -> new EnrollmentClient(Clock.systemUTC()).enroll(api, token, hostDir.resolve("x")))
                    .isInstanceOf(PkiException.class)
                    .hasMessageContaining("already been used");
        }
        assertThat(mode(pki)).isEqualTo("rwx------");
        assertThat(mode(pki.resolve("host.key"))).isEqualTo("rw-------");
        assertThat(mode(pki.resolve("host.crt"))).isEqualTo("rw-------");

        SandboxManager manager = idleManager();
        Server agent = HostAgent.listen(
                new InetSocketAddress("127.0.0.1", agentPort),
                HostTls.serverCredentials(pki, Clock.systemUTC()),
                new HostAgentGrpcService(manager));
        try {
            assertThat(call(agentPort, HostAgentTls.channel(ca))).isTrue();
            assertThat(call(
                            agentPort,
                            TlsChannelCredentials.newBuilder()
                                    .trustManager(
                                            controlDir.resolve("pki/ca.crt").toFile())
                                    .build()))
                    .as("no client certificate")
                    .isFalse();
            assertThat(call(agentPort, HostAgentTls.channel(ClusterCa.create("attacker CA", Clock.systemUTC()))))
                    .as("another CA's control-plane certificate")
                    .isFalse();
            assertThat(call(agentPort, expiredControlPlane(ca)))
                    .as("an expired certificate")
                    .isFalse();
        } finally {
            agent.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            manager.close();
        }
    }

    /** Whether ListSandboxes went through. */
    private static boolean call(int port, ChannelCredentials credentials) {
        try (GrpcHostAgentClient client = GrpcHostAgentClient.connect("127.0.0.1:" + port, credentials)) {
            client.listSandboxes();
            return true;
        } catch (ApiException refused) {
            return false;
        }
    }

    private ChannelCredentials expiredControlPlane(ClusterCa ca) {
        Clock tenDaysAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(10)), ZoneOffset.UTC);
        ClusterCa past = ClusterCa.load(controlDir.resolve("pki/ca.crt"), controlDir.resolve("pki/ca.key"), tenDaysAgo);
        return MutualTls.controlPlaneChannel(
                past.newIdentity(Role.CONTROL_PLANE, "wrenn-control-plane", Duration.ofDays(1)), ca.certificate());
    }

    /**
     * The first account is the administrator (signup answers no token: it logs in next); it asks for a token for the
     * host at 127.0.0.1.
     */
    private static String enrollmentToken(URI api) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String account = "{\"email\":\"root@example.com\",\"password\":\"correct horse\"}";
        post(http, api.resolve("/v1/auth/signup"), account, null, 202);
        JsonNode login = post(http, api.resolve("/v1/auth/login"), account, null, 200);
        JsonNode issued = post(
                http,
                api.resolve("/v1/admin/hosts/enrollment-tokens"),
                "{\"host\":\"127.0.0.1\"}",
                "Bearer " + login.get("token").asText(),
                201);
        return issued.get("token").asText();
    }

    private static JsonNode post(HttpClient http, URI uri, String body, String authorization, int expectedStatus)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private Config config(int agentPort) {
        return new Config(
                controlDir,
                "127.0.0.1",
                0,
                new DatabaseSettings.Sqlite(controlDir.resolve("wrenn.db")),
                "standalone-test-secret-standalone-test-secret",
                "127.0.0.1:" + agentPort,
                1 << 20,
                4,
                0);
    }

    /** A real manager that never boots anything: ListSandboxes answers from its (empty) list. */
    private SandboxManager idleManager() {
        return new SandboxManager(
                new DataDir(hostDir),
                new SlotAllocator(),
                new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated()),
                new QemuImg(),
                spec -> {
                    throw new IllegalStateException("this test boots no VM");
                },
                new EnvdHealth(),
                Duration.ofSeconds(1));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
