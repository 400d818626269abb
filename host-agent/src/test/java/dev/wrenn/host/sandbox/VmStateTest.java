package dev.wrenn.host.sandbox;

import static dev.wrenn.host.sandbox.VmState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VmStateTest {
    /** The intended lifecycle, written out independently of the enum so a change to either is noticed. */
    private static final Map<VmState, Set<VmState>> ALLOWED = Map.of(
            STARTING, EnumSet.of(RUNNING, FAILED, STOPPING),
            RUNNING, EnumSet.of(PAUSING, STOPPING, FAILED),
            PAUSING, EnumSet.of(PAUSED, RUNNING, FAILED, STOPPING),
            PAUSED, EnumSet.of(RESUMING, STOPPING),
            RESUMING, EnumSet.of(RUNNING, PAUSED, FAILED, STOPPING),
            STOPPING, EnumSet.of(STOPPED, FAILED),
            FAILED, EnumSet.of(STOPPING),
            STOPPED, EnumSet.noneOf(VmState.class));

    static Stream<Arguments> everyPair() {
        return Arrays.stream(values()).flatMap(from -> Arrays.stream(values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void aMoveIsAllowedExactlyWhenTheLifecycleSaysSo(VmState from, VmState to) {
        boolean allowed = ALLOWED.get(from).contains(to);

        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
        if (allowed) {
            assertThat(from.moveTo(to, "sb-1")).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> from.moveTo(to, "sb-1"))
                    .hasMessage(
                            "sandbox sb-1 cannot go from %s to %s",
                            from.name().toLowerCase(), to.name().toLowerCase());
        }
    }
}
