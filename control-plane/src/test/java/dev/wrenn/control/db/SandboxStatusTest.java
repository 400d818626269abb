package dev.wrenn.control.db;

import static dev.wrenn.control.db.SandboxStatus.ERROR;
import static dev.wrenn.control.db.SandboxStatus.PAUSED;
import static dev.wrenn.control.db.SandboxStatus.PENDING;
import static dev.wrenn.control.db.SandboxStatus.RUNNING;
import static dev.wrenn.control.db.SandboxStatus.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxStatusTest {
    private static final Map<SandboxStatus, Set<SandboxStatus>> ALLOWED = new EnumMap<>(Map.of(
            PENDING, EnumSet.of(RUNNING, ERROR, STOPPED),
            RUNNING, EnumSet.of(PAUSED, STOPPED, ERROR),
            PAUSED, EnumSet.of(RUNNING, STOPPED, ERROR),
            STOPPED, EnumSet.noneOf(SandboxStatus.class),
            ERROR, EnumSet.of(STOPPED)));

    @Test
    void everyPairOfStatusesIsAllowedExactlyWhenTheTableSaysSo() {
        for (SandboxStatus from : SandboxStatus.values()) {
            for (SandboxStatus to : SandboxStatus.values()) {
                assertThat(from.canBecome(to))
                        .as("%s -> %s", from, to)
                        .isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void stayingInTheSameStatusIsNeverATransition() {
        for (SandboxStatus status : SandboxStatus.values()) {
            assertThat(status.canBecome(status)).as("%s", status).isFalse();
        }
    }

    @Test
    void onlyStoppedAndErrorAreEndedAndEveryLiveStatusCanStillBeDeleted() {
        for (SandboxStatus status : SandboxStatus.values()) {
            assertThat(status.isEnded()).as("%s", status).isEqualTo(status == STOPPED || status == ERROR);
            assertThat(status.canBecome(STOPPED)).as("%s", status).isEqualTo(status != STOPPED);
        }
    }

    @Test
    void everyHostAgentStateMapsToOneStatusExceptTheUnsetOnes() {
        Map<dev.wrenn.protocol.hostagent.v1.SandboxStatus, SandboxStatus> expected = Map.of(
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_STARTING, PENDING,
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_RUNNING, RUNNING,
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_PAUSING, RUNNING,
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_PAUSED, PAUSED,
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_RESUMING, PAUSED,
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_STOPPING, STOPPED,
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_STOPPED, STOPPED,
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_FAILED, ERROR);
        for (dev.wrenn.protocol.hostagent.v1.SandboxStatus state :
                dev.wrenn.protocol.hostagent.v1.SandboxStatus.values()) {
            assertThat(SandboxStatus.fromAgent(state))
                    .as("%s", state)
                    .isEqualTo(java.util.Optional.ofNullable(expected.get(state)));
        }
    }

    @Test
    void wireNamesRoundTrip() {
        for (SandboxStatus status : SandboxStatus.values()) {
            assertThat(SandboxStatus.fromWire(status.wireName())).isEqualTo(status);
        }
        assertThat(RUNNING.wireName()).isEqualTo("running");
    }
}
