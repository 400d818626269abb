package dev.wrenn.host.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccelProbeTest {
    @TempDir
    Path work;

    private final Path noKernel = Path.of("/nonexistent/vmlinuz");

    @Test
    void anExplicitModeIsObeyedWithoutAProbeBoot() {
        assertThat(new AccelProbe(noKernel, work, Duration.ofSeconds(1)).decide(AccelMode.KVM))
                .isEqualTo(Accel.KVM);
        assertThat(new AccelProbe(noKernel, work, Duration.ofSeconds(1)).decide(AccelMode.TCG))
                .isEqualTo(Accel.TCG);
    }

    @Test
    void theDecisionIsTakenOnceAndKept() {
        AccelProbe probe = new AccelProbe(noKernel, work, Duration.ofSeconds(1));

        probe.decide(AccelMode.TCG);

        assertThat(probe.decide(AccelMode.KVM)).isEqualTo(Accel.TCG);
    }

    @Test
    void theModeIsParsedFromConfigurationText() {
        assertThat(AccelMode.parse(" Auto ")).isEqualTo(AccelMode.AUTO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccelMode.parse("xen"))
                .hasMessageContaining("auto, kvm or tcg");
    }
}
