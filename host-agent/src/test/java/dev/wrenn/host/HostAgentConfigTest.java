package dev.wrenn.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.vmm.AccelMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostAgentConfigTest {

    @Test
    void withNothingSetItUsesTheDocumentedDefaults() {
        HostAgentConfig config = HostAgentConfig.parse(List.of(), Map.of());

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/wrenn"));
        assertThat(config.listen().getHostString()).isEqualTo("127.0.0.1");
        assertThat(config.listen().getPort()).isEqualTo(50051);
        assertThat(config.accel()).isEqualTo(AccelMode.AUTO);
        assertThat(config.egress()).as("on, as in E2B").isTrue();
        assertThat(config.egressAllowCidrs()).isEmpty();
        assertThat(config.maxMemoryMib()).isEqualTo(8192);
        assertThat(config.maxSandboxes()).isEqualTo(64);
        assertThat(config.firstSlot()).isEqualTo(1);
        assertThat(config.bootTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void environmentVariablesSetValuesAndFlagsOverrideThem() {
        Map<String, String> env =
                Map.of("WRENN_DATA_DIR", "/srv/wrenn", "WRENN_ACCEL", "kvm", "WRENN_MAX_SANDBOXES", "8");

        HostAgentConfig config = HostAgentConfig.parse(
                List.of("--accel", "tcg", "--listen=0.0.0.0:6000", "--egress", "--max-vcpus", "2"), env);

        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/wrenn"));
        assertThat(config.accel()).isEqualTo(AccelMode.TCG);
        assertThat(config.listen().getPort()).isEqualTo(6000);
        assertThat(config.egress()).isTrue();
        assertThat(config.maxVcpus()).isEqualTo(2);
        assertThat(config.maxSandboxes()).isEqualTo(8);
    }

    @Test
    void registryMirrorsComeFromTheFlagOrTheEnvironment() {
        HostAgentConfig config =
                HostAgentConfig.parse(List.of(), Map.of("WRENN_REGISTRY_MIRROR", "docker.io=http://127.0.0.1:5000"));
        assertThat(config.registryMirrors().endpoint("docker.io")).hasToString("http://127.0.0.1:5000");
        assertThat(HostAgentConfig.parse(List.of("--registry-mirror", "registry.test=https://mirror.test"), Map.of())
                        .registryMirrors()
                        .endpoint("registry.test"))
                .hasToString("https://mirror.test");
    }

    @Test
    void badValuesAreRejectedNamingTheFlagAndWhatItAccepts() {
        assertInvalid(List.of("--max-vcpus", "0"), "--max-vcpus must be in 1..64, got 0");
        assertInvalid(List.of("--max-memory-mib", "lots"), "--max-memory-mib must be a whole number, not `lots`");
        assertInvalid(List.of("--listen", "50051"), "--listen must be HOST:PORT");
        assertInvalid(List.of("--listen", "localhost:70000"), "--listen port must be in 1..65535, got 70000");
        assertInvalid(List.of("--accel", "xen"), "--accel must be auto, kvm or tcg, not `xen`");
        assertInvalid(List.of("--egress", "maybe"), "--egress must be on or off, not `maybe`");
        assertInvalid(List.of("--egress-allow-cidr", "10.0.0.0/40"), "--egress-allow-cidr: `10.0.0.0/40`");
        assertInvalid(
                List.of("--registry-mirror", "docker.io"), "--registry-mirror: registry mirror `docker.io` must be");
        assertInvalid(List.of("--max-sandboxes", "10", "--first-slot", "32760"), "--first-slot must be in 1..32758");
        assertInvalid(List.of("--port", "1"), "unknown option `--port`");
        assertInvalid(List.of("--data-dir"), "--data-dir needs a value");
    }

    @Test
    void egressIsOnOrOffAndTheOpenedRangesAddUpAcrossFlagsAndCommas() {
        HostAgentConfig config = HostAgentConfig.parse(
                List.of(
                        "--egress",
                        "off",
                        "--egress-allow-cidr",
                        "198.18.0.0/15,10.1.0.0/16",
                        "--egress-allow-cidr=192.0.2.7"),
                Map.of());

        assertThat(config.egress()).isFalse();
        assertThat(config.egressAllowCidrs())
                .extracting(Object::toString)
                .containsExactly("198.18.0.0/15", "10.1.0.0/16", "192.0.2.7");
        assertThat(HostAgentConfig.parse(List.of(), Map.of("WRENN_EGRESS_ALLOW_CIDR", "100.64.0.0/10"))
                        .egressAllowCidrs())
                .extracting(Object::toString)
                .containsExactly("100.64.0.0/10");
    }

    private static void assertInvalid(List<String> args, String message) {
        assertThatThrownBy(() -> HostAgentConfig.parse(args, Map.of()))
                .isInstanceOf(HostAgentConfig.InvalidConfig.class)
                .hasMessageContaining(message);
    }
}
