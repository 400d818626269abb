package dev.wrenn.host.api;

import static dev.wrenn.host.oci.TestImages.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.oci.TestImages;
import dev.wrenn.host.oci.TestRegistry;
import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateProgress;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateRequest;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BuildImageTemplate over gRPC up to the point where a VM would boot: bad requests are refused with their status,
 * log lines stream before the error, and a failed build leaves nothing under the data directory. (The whole build
 * with a real VM is RealImageTemplateTest.)
 */
class ImageBuildRpcTest {
    @TempDir
    Path root;

    private SandboxManager manager;
    private Server server;
    private ManagedChannel channel;
    private HostAgentServiceGrpc.HostAgentServiceBlockingStub agent;

    @BeforeEach
    void start() throws Exception {
        DataDir dataDir = new DataDir(root);
        Files.createDirectories(dataDir.images());
        for (String name : List.of("vmlinuz", "initramfs.cpio.gz", "rootfs.ext4")) {
            Files.writeString(dataDir.images().resolve(name), "stand-in: never booted by this test");
        }
        manager = new SandboxManager(
                dataDir,
                new SlotAllocator(new SlotRange(1, 1)),
                new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated()),
                new QemuImg(),
                spec -> {
                    throw new AssertionError("this test boots nothing");
                },
                new EnvdHealth(),
                Duration.ofSeconds(5));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .addService(new HostAgentGrpcService(manager))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
        agent = HostAgentServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        manager.close();
    }

    private List<BuildImageTemplateProgress> build(
            String id, String image, String user, String password, List<BuildImageTemplateProgress> seen) {
        Iterator<BuildImageTemplateProgress> stream = agent.buildImageTemplate(BuildImageTemplateRequest.newBuilder()
                .setTemplateId(id)
                .setImage(image)
                .setRegistryUsername(user)
                .setRegistryPassword(password)
                .build());
        stream.forEachRemaining(seen::add);
        return seen;
    }

    @Test
    void badNamesAndReferencesAreInvalidArgument() {
        assertThatThrownBy(() -> build("bad/name", "debian", "", "", new ArrayList<>()))
                .isInstanceOf(StatusRuntimeException.class)
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThatThrownBy(() -> build("base", "debian", "", "", new ArrayList<>()))
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThatThrownBy(() -> build("tpl-1", "Not A Reference", "", "", new ArrayList<>()))
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void refusedCredentialsEndTheStreamWithPermissionDeniedAfterItsLogLinesAndLeaveNothing() throws Exception {
        try (TestRegistry registry = new TestRegistry().requireToken("u", "right")) {
            var layer = TestImages.layer(root.resolve("l.tar"), false, tar -> file(tar, "a", "a"));
            TestImages.push(
                    registry,
                    Files.createDirectories(root.resolve("w")),
                    "team/x",
                    "1",
                    List.of(layer),
                    Map.of(),
                    false);
            List<BuildImageTemplateProgress> seen = new ArrayList<>();
            assertThatThrownBy(() -> build("tpl-denied", registry.host() + "/team/x:1", "u", "wrong", seen))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> {
                        Status status = ((StatusRuntimeException) e).getStatus();
                        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(status.getDescription())
                                .contains("token service")
                                .doesNotContain("wrong");
                    });
            assertThat(seen).isNotEmpty().allMatch(BuildImageTemplateProgress::hasLog);
            assertThat(seen.getFirst().getLog().getMessage()).contains("pulling " + registry.host() + "/team/x:1");
            assertThat(seen.getFirst().getLog().getLevel()).isEqualTo("info");
        }
        assertThat(root.resolve("oci/work/tpl-denied")).doesNotExist();
        assertThat(root.resolve("oci/images/tpl-denied")).doesNotExist();
        assertThat(root.resolve("templates/tpl-denied")).doesNotExist();
    }

    @Test
    void anUnreachableRegistryIsUnavailable() {
        assertThatThrownBy(() -> build("tpl-unreach", "127.0.0.1:1/team/x:1", "", "", new ArrayList<>()))
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
    }
}
