package dev.wrenn.control.db;

import static dev.wrenn.control.db.SandboxStatus.ERROR;
import static dev.wrenn.control.db.SandboxStatus.PAUSED;
import static dev.wrenn.control.db.SandboxStatus.PENDING;
import static dev.wrenn.control.db.SandboxStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxOperationTest {
    private static final Set<SandboxStatus> RUNNING_ONLY = EnumSet.of(RUNNING);
    private static final Set<SandboxStatus> LIVE = EnumSet.of(RUNNING, PAUSED);
    private static final Map<SandboxOperation, Set<SandboxStatus>> ALLOWED = new EnumMap<>(Map.ofEntries(
            Map.entry(SandboxOperation.EXEC, RUNNING_ONLY),
            Map.entry(SandboxOperation.FILES, RUNNING_ONLY),
            Map.entry(SandboxOperation.TERMINAL, RUNNING_ONLY),
            Map.entry(SandboxOperation.PING, RUNNING_ONLY),
            Map.entry(SandboxOperation.INSPECT, RUNNING_ONLY),
            Map.entry(SandboxOperation.METRICS, RUNNING_ONLY),
            Map.entry(SandboxOperation.PROXY, RUNNING_ONLY),
            Map.entry(SandboxOperation.PAUSE, RUNNING_ONLY),
            Map.entry(SandboxOperation.RESUME, EnumSet.of(PAUSED)),
            Map.entry(SandboxOperation.SNAPSHOT, LIVE),
            Map.entry(SandboxOperation.CONNECT, LIVE),
            Map.entry(SandboxOperation.SET_TIMEOUT, LIVE),
            Map.entry(SandboxOperation.UPDATE_NETWORK, LIVE),
            Map.entry(SandboxOperation.DESTROY, EnumSet.of(PENDING, RUNNING, PAUSED, ERROR))));

    @Test
    void everyOperationIsAllowedInExactlyTheStatusesTheTableNames() {
        assertThat(ALLOWED).hasSize(SandboxOperation.values().length);
        for (SandboxOperation operation : SandboxOperation.values()) {
            for (SandboxStatus status : SandboxStatus.values()) {
                assertThat(operation.allowedIn(status))
                        .as("%s in %s", operation, status)
                        .isEqualTo(ALLOWED.get(operation).contains(status));
            }
        }
    }

    @Test
    void theRefusalNamesTheSandboxWhatItNeedsAndWhatItFound() {
        assertThat(SandboxOperation.EXEC.refusal(sandbox(PAUSED)))
                .isEqualTo("sandbox sb-0000000a is not running (status: paused)");
        assertThat(SandboxOperation.RESUME.refusal(sandbox(RUNNING)))
                .isEqualTo("sandbox sb-0000000a is not paused (status: running)");
        assertThat(SandboxOperation.SNAPSHOT.refusal(sandbox(PENDING)))
                .isEqualTo("sandbox sb-0000000a must be running or paused to be snapshotted (status: pending)");
    }

    private static Sandbox sandbox(SandboxStatus status) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return new Sandbox(
                "sb-0000000a", "team-1", "default", "base", status, 1, 512, 0, "", Map.of(), null, at, null, null, at);
    }
}
