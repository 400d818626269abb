package dev.wrenn.host.oci;

import static dev.wrenn.host.oci.TestImages.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a registry this test serves on 127.0.0.1: token auth, an index, digests checked, layers cached. */
class RegistryPullTest {
    @TempDir
    Path work;

    private TestRegistry registry;
    private TestImages.Layer base;
    private TestImages.Layer top;
    private BlobCache cache;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        registry = new TestRegistry().requireToken("alice", "s3cret");
        base = TestImages.layer(work.resolve("base.tar.gz"), true, tar -> file(tar, "etc/os-release", "ID=test\n"));
        top = TestImages.layer(work.resolve("top.tar"), false, tar -> file(tar, "srv/app", "app"));
        TestImages.push(
                registry,
                work,
                "team/app",
                "1.0",
                List.of(base, top),
                Map.of(
                        "Env",
                        List.of("PATH=/usr/bin:/bin", "GREETING=hi=there"),
                        "WorkingDir",
                        "/srv",
                        "User",
                        "1000",
                        "Entrypoint",
                        List.of("/srv/app"),
                        "Cmd",
                        List.of("--serve")),
                true);
        cache = new BlobCache(work.resolve("blobs"));
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private ImagePuller puller(RegistryMirrors mirrors) {
        return new ImagePuller(RegistryClient.newHttpClient(), mirrors, cache);
    }

    @Test
    void pullsThroughTheIndexWithABearerTokenAndReusesCachedLayers() {
        String ref = registry.host() + "/team/app:1.0";
        PulledImage image = puller(RegistryMirrors.none())
                .pull(ImageReference.parse(ref), "alice", "s3cret", (l, m) -> log.add(m), Cancellation.none());

        assertThat(image.config().env()).containsEntry("GREETING", "hi=there").containsEntry("PATH", "/usr/bin:/bin");
        assertThat(image.config().workdir()).isEqualTo("/srv");
        assertThat(image.config().user()).isEqualTo("1000");
        assertThat(image.config().entrypoint()).containsExactly("/srv/app");
        assertThat(image.config().cmd()).containsExactly("--serve");
        assertThat(image.layerFiles()).hasSize(2).allSatisfy(f -> assertThat(f).exists());
        assertThat(image.digest()).startsWith("sha256:");
        assertThat(log).anyMatch(line -> line.contains("linux/amd64"));
        assertThat(registry.requests).anyMatch(r -> r.startsWith("GET /token?"));

        puller(RegistryMirrors.none())
                .pull(ImageReference.parse(ref), "alice", "s3cret", (l, m) -> log.add(m), Cancellation.none());
        assertThat(registry.blobRequests(base.digest()))
                .as("the second pull takes the layer from the cache")
                .isEqualTo(1);
        assertThat(log).anyMatch(line -> line.contains("cached"));
    }

    @Test
    void wrongOrMissingCredentialsArePermissionDenied() {
        ImageReference ref = ImageReference.parse(registry.host() + "/team/app:1.0");
        assertThatThrownBy(() ->
                        puller(RegistryMirrors.none()).pull(ref, "alice", "wrong", BuildLog.NONE, Cancellation.none()))
                .isInstanceOf(HostAgentException.class)
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThatThrownBy(() -> puller(RegistryMirrors.none()).pull(ref, "", "", BuildLog.NONE, Cancellation.none()))
                .isInstanceOf(HostAgentException.class)
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestIsRefusedAndNotCached() {
        registry.corruptBlob(top.digest(), "not the layer".getBytes());
        ImageReference ref = ImageReference.parse(registry.host() + "/team/app:1.0");
        assertThatThrownBy(() ->
                        puller(RegistryMirrors.none()).pull(ref, "alice", "s3cret", BuildLog.NONE, Cancellation.none()))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("does not match");
        assertThat(cache.has(new Descriptor("", top.digest(), top.size()))).isFalse();
    }

    @Test
    void unknownImagesAreNotFoundAndDockerHubNamesGoToTheMirror() throws Exception {
        ImageReference missing = ImageReference.parse(registry.host() + "/team/app:2.0");
        assertThatThrownBy(() -> puller(RegistryMirrors.none())
                        .pull(missing, "alice", "s3cret", BuildLog.NONE, Cancellation.none()))
                .isInstanceOf(HostAgentException.class)
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);

        TestImages.push(registry, work, "library/python", "3.12", List.of(base), Map.of(), false);
        RegistryMirrors mirror = RegistryMirrors.parse("docker.io=http://" + registry.host());
        PulledImage python = puller(mirror)
                .pull(ImageReference.parse("python:3.12"), "alice", "s3cret", BuildLog.NONE, Cancellation.none());
        assertThat(python.layerFiles()).hasSize(1);
        assertThat(registry.requests).anyMatch(r -> r.equals("GET /v2/library/python/manifests/3.12"));
    }

    @Test
    void aPinnedDigestMustMatchAndAnImageWithoutAmd64IsRefused() throws Exception {
        ImageReference wrongPin = ImageReference.parse(registry.host() + "/team/app@sha256:" + "1".repeat(64));
        assertThatThrownBy(() -> puller(RegistryMirrors.none())
                        .pull(wrongPin, "alice", "s3cret", BuildLog.NONE, Cancellation.none()))
                .isInstanceOf(HostAgentException.class);

        byte[] armOnly = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifests.OCI_INDEX
                        + "\",\"manifests\":[{\"mediaType\":\""
                        + Manifests.OCI_MANIFEST + "\",\"digest\":\"sha256:" + "2".repeat(64)
                        + "\",\"size\":10,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}")
                .getBytes();
        registry.putManifest("team/arm", "1", Manifests.OCI_INDEX, armOnly);
        assertThatThrownBy(() -> puller(RegistryMirrors.none())
                        .pull(
                                ImageReference.parse(registry.host() + "/team/arm:1"),
                                "alice",
                                "s3cret",
                                BuildLog.NONE,
                                Cancellation.none()))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("no linux/amd64")
                .hasMessageContaining("linux/arm64");
    }

    @Test
    void aCancelledPullStops() {
        Cancellation cancelled = new Cancellation();
        cancelled.cancel();
        assertThatThrownBy(() -> puller(RegistryMirrors.none())
                        .pull(
                                ImageReference.parse(registry.host() + "/team/app:1.0"),
                                "alice",
                                "s3cret",
                                BuildLog.NONE,
                                cancelled))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("cancelled");
    }
}
