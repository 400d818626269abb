package dev.wrenn.host.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.HostAgentException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    @Test
    void dockerHubStyleNamesTagsDigestsAndRegistries() {
        assertThat(ImageReference.parse("python:3.12"))
                .isEqualTo(new ImageReference("docker.io", "library/python", "3.12", java.util.Optional.empty()));
        assertThat(ImageReference.parse("team/app").repository()).isEqualTo("team/app");
        assertThat(ImageReference.parse("team/app").tag()).isEqualTo("latest");
        var pinned = ImageReference.parse("127.0.0.1:5000/team/img@sha256:" + "a".repeat(64));
        assertThat(pinned.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(pinned.manifestReference()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(ImageReference.parse("localhost/x:1").registry()).isEqualTo("localhost");
        assertThat(ImageReference.parse("registry.test/a/b/c:v1.2").repository())
                .isEqualTo("a/b/c");
    }

    @Test
    void badReferencesAreRefusedWithTheReason() {
        for (String bad : new String[] {"", "UPPER/case", "a/../b", "x@sha256:short", "x:bad tag", " x"}) {
            assertThatThrownBy(() -> ImageReference.parse(bad)).isInstanceOf(HostAgentException.class);
        }
    }

    @Test
    void mirrorsAndPlainHttpOnlyForLoopbackOrExplicitHttpMirrors() {
        RegistryMirrors none = RegistryMirrors.none();
        assertThat(none.endpoint("registry.test:8443")).isEqualTo(URI.create("https://registry.test:8443"));
        assertThat(none.endpoint("127.0.0.1:5000")).isEqualTo(URI.create("http://127.0.0.1:5000"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> none.endpoint("docker.io"))
                .hasMessageContaining("--registry-mirror docker.io=");
        RegistryMirrors mirrors =
                RegistryMirrors.parse("docker.io=http://127.0.0.1:5000, registry.test=https://mirror.test");
        assertThat(mirrors.endpoint("docker.io")).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(mirrors.endpoint("registry.test")).isEqualTo(URI.create("https://mirror.test"));
        assertThat(mirrors.allowsPlainHttp(URI.create("http://mirror.test/x"))).isFalse();
        assertThat(RegistryMirrors.parse("r=http://mirror.test").allowsPlainHttp(URI.create("http://mirror.test/v2/")))
                .isTrue();
        assertThatThrownBy(() -> RegistryMirrors.parse("docker.io")).hasMessageContaining("REGISTRY=URL");
        assertThatThrownBy(() -> RegistryMirrors.parse("docker.io=ftp://x")).hasMessageContaining("http(s)");
    }

    @Test
    void e2bBaseIsRecognisedWithOrWithoutRegistryAndLatestTag() {
        assertThat(ImageBuilder.isWrennBase("e2bdev/base")).isTrue();
        assertThat(ImageBuilder.isWrennBase("docker.io/e2bdev/base:latest")).isTrue();
        assertThat(ImageBuilder.isWrennBase("e2bdev/base:other")).isFalse();
        assertThat(ImageBuilder.isWrennBase("e2bdev/code-interpreter")).isFalse();
    }
}
