package dev.wrenn.control.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.control.testing.OnBothDatabases;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;

class SandboxRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    @OnBothDatabases
    void aSandboxRoundTripsWithItsMetadataAndNullableTimes(Database database) {
        SandboxRepository sandboxes = repository(database);
        Map<String, String> metadata = Map.of("owner", "o'brien\"; DROP TABLE sandboxes;--", "ünï", "{\"json\": [1]}");
        Sandbox pending = sandbox("sb-00000001", "team-0000000a", SandboxStatus.PENDING, T0, metadata);
        sandboxes.insert(pending);

        assertThat(sandboxes.find("team-0000000a", "sb-00000001")).contains(pending);
        assertThat(pending.startedAt()).isNull();
    }

    @OnBothDatabases
    void anotherTeamCannotSeeTheSandbox(Database database) {
        SandboxRepository sandboxes = repository(database);
        sandboxes.insert(sandbox("sb-00000001", "team-0000000a", SandboxStatus.RUNNING, T0, Map.of()));

        assertThat(sandboxes.find("team-0000000b", "sb-00000001")).isEmpty();
        assertThat(sandboxes.listLive("team-0000000b")).isEmpty();
        assertThat(sandboxes.findAnyTeam("sb-00000001")).isPresent();
    }

    @OnBothDatabases
    void theLiveListHidesEndedSandboxesAndIsNewestFirst(Database database) {
        SandboxRepository sandboxes = repository(database);
        sandboxes.insert(sandbox("sb-00000001", "team-0000000a", SandboxStatus.RUNNING, T0, Map.of()));
        sandboxes.insert(sandbox("sb-00000002", "team-0000000a", SandboxStatus.PAUSED, T0.plusSeconds(1), Map.of()));
        sandboxes.insert(sandbox("sb-00000003", "team-0000000a", SandboxStatus.STOPPED, T0.plusSeconds(2), Map.of()));
        sandboxes.insert(sandbox("sb-00000004", "team-0000000a", SandboxStatus.ERROR, T0.plusSeconds(3), Map.of()));

        assertThat(sandboxes.listLive("team-0000000a"))
                .extracting(Sandbox::id)
                .containsExactly("sb-00000002", "sb-00000001");
        assertThat(sandboxes.listOnHost("default", EnumSet.of(SandboxStatus.RUNNING, SandboxStatus.STOPPED)))
                .extracting(Sandbox::id)
                .containsExactly("sb-00000001", "sb-00000003");
    }

    @OnBothDatabases
    void aStatusChangeOnlyWinsFromTheExpectedStatus(Database database) {
        SandboxRepository sandboxes = repository(database);
        Sandbox pending = sandbox("sb-00000001", "team-0000000a", SandboxStatus.PENDING, T0, Map.of());
        sandboxes.insert(pending);

        Sandbox running = pending.running("10.11.0.1", T0.plusSeconds(2));
        assertThat(sandboxes.updateIfStatus(running, SandboxStatus.PENDING)).isTrue();
        assertThat(sandboxes.updateIfStatus(pending.failed("late", T0.plusSeconds(3)), SandboxStatus.PENDING))
                .isFalse();

        Sandbox stored = sandboxes.find("team-0000000a", "sb-00000001").orElseThrow();
        assertThat(stored.status()).isEqualTo(SandboxStatus.RUNNING);
        assertThat(stored.hostIp()).isEqualTo("10.11.0.1");
        assertThat(stored.startedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(stored.errorReason()).isNull();
    }

    @OnBothDatabases
    void activityIsRecordedWithoutChangingTheStatus(Database database) {
        SandboxRepository sandboxes = repository(database);
        sandboxes.insert(sandbox("sb-00000001", "team-0000000a", SandboxStatus.RUNNING, T0, Map.of()));

        sandboxes.touch("sb-00000001", T0.plusSeconds(60));

        Sandbox stored = sandboxes.find("team-0000000a", "sb-00000001").orElseThrow();
        assertThat(stored.lastActiveAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(stored.status()).isEqualTo(SandboxStatus.RUNNING);
    }

    private static SandboxRepository repository(Database database) {
        AccountRepository accounts = new AccountRepository(database);
        accounts.createWithDefaultTeam(
                new User("usr-0000000a", "a@example.com", "h", false, T0), new Team("team-0000000a", "A", T0));
        accounts.createWithDefaultTeam(
                new User("usr-0000000b", "b@example.com", "h", false, T0), new Team("team-0000000b", "B", T0));
        return new SandboxRepository(database);
    }

    static Sandbox sandbox(
            String id, String teamId, SandboxStatus status, Instant createdAt, Map<String, String> metadata) {
        return new Sandbox(
                id, teamId, "default", "minimal", status, 1, 512, 300, "", metadata, null, createdAt, null, null,
                createdAt);
    }

    @OnBothDatabases
    void aChangeTheStatusTableDoesNotAllowIsRefusedAndLeavesTheRowAlone(Database database) {
        SandboxRepository sandboxes = repository(database);
        Sandbox stopped = sandbox("sb-00000001", "team-0000000a", SandboxStatus.STOPPED, T0, Map.of());
        sandboxes.insert(stopped);

        assertThatThrownBy(() ->
                        sandboxes.updateIfStatus(stopped.running("10.0.0.9", T0.plusSeconds(1)), SandboxStatus.STOPPED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sandbox sb-00000001: stopped -> running is not a transition the status table allows");
        assertThat(sandboxes.findAnyTeam("sb-00000001").orElseThrow()).isEqualTo(stopped);
    }
}
