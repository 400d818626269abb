package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.control.config.SignupMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpOptionsTest {

    @Test
    void withoutOptionsItServesLoopbackPort8080FromVarLibWrenn() {
        UpOptions options = UpOptions.parse(List.of(), Map.of());

        assertThat(options).isEqualTo(new UpOptions(Path.of("/var/lib/wrenn"), "127.0.0.1", 8080, 8081));
    }

    @Test
    void flagsWinOverTheEnvironmentAndTheProxyPortFollowsThePort() {
        UpOptions options = UpOptions.parse(
                List.of("--data-dir", "/tmp/w", "--port=9000"),
                Map.of("WRENN_PORT", "7000", "WRENN_DATA_DIR", "/srv/wrenn", "WRENN_LISTEN_HOST", "0.0.0.0"));

        assertThat(options).isEqualTo(new UpOptions(Path.of("/tmp/w"), "0.0.0.0", 9000, 9001));
    }

    @Test
    void aRegistryMirrorIsPassedOnToTheHostAgent() {
        assertThat(UpOptions.parse(List.of("--registry-mirror", "docker.io=http://127.0.0.1:5000"), Map.of())
                        .registryMirror())
                .isEqualTo("docker.io=http://127.0.0.1:5000");
        assertThat(UpOptions.parse(List.of(), Map.of()).registryMirror()).isEmpty();
    }

    @Test
    void theEgressFlagsGoToTheHostAgentAsGiven() {
        UpOptions options = UpOptions.parse(
                List.of("--egress", "off", "--egress-allow-cidr", "198.18.0.0/15", "--egress-allow-cidr=10.9.0.0/16"),
                Map.of());

        assertThat(options.egressFlags())
                .containsExactly(
                        "--egress=off", "--egress-allow-cidr=198.18.0.0/15", "--egress-allow-cidr=10.9.0.0/16");
        assertThat(dev.wrenn.host.HostAgentConfig.parse(options.egressFlags(), Map.of())
                        .egressAllowCidrs())
                .hasSize(2);
        assertThatThrownBy(() -> UpOptions.parse(List.of("--egress"), Map.of())).hasMessage("--egress needs a value");
    }

    @Test
    void theProxyPortCanBeSetButNotToTheApiPort() {
        assertThat(UpOptions.parse(List.of("--proxy-port", "9999"), Map.of()).proxyPort())
                .isEqualTo(9999);
        assertThatThrownBy(() -> UpOptions.parse(List.of("--port", "9000", "--proxy-port", "9000"), Map.of()))
                .hasMessage("--proxy-port must differ from --port (both 9000)");
    }

    @Test
    void theSignupModeIsFirstUserUnlessAFlagOrTheEnvironmentSaysOtherwise() {
        assertThat(UpOptions.parse(List.of(), Map.of()).signup()).isEqualTo(SignupMode.FIRST_USER);
        assertThat(UpOptions.parse(List.of(), Map.of("WRENN_SIGNUP", "closed")).signup())
                .isEqualTo(SignupMode.CLOSED);
        assertThat(UpOptions.parse(List.of("--signup", "open"), Map.of("WRENN_SIGNUP", "closed"))
                        .signup())
                .isEqualTo(SignupMode.OPEN);
        assertThatThrownBy(() -> UpOptions.parse(List.of("--signup", "everyone"), Map.of()))
                .hasMessageContaining("--signup")
                .hasMessageContaining("open, closed or first-user");
    }

    @Test
    void resetPasswordIsASwitchWithoutAValue() {
        UpOptions options = UpOptions.parse(List.of("--reset-password", "--port", "9000"), Map.of());

        assertThat(options.resetPassword()).isTrue();
        assertThat(options.port()).isEqualTo(9000);
        assertThat(UpOptions.parse(List.of(), Map.of()).resetPassword()).isFalse();
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> UpOptions.parse(List.of("--listen", "x"), Map.of()))
                .hasMessage("unknown option `--listen`");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--port", "http"), Map.of()))
                .hasMessage("--port must be a port number 0..65535, not `http`");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--data-dir"), Map.of()))
                .hasMessage("--data-dir needs a value");
    }
}
