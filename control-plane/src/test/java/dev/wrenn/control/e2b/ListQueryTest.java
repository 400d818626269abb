package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListQueryTest {
    private static final Instant STARTED = Instant.parse("2026-01-01T00:00:10.123Z");

    @Test
    void startedAfterIsInclusiveLikeE2b() {
        Sandbox s = sandbox(STARTED);
        assertThat(startedAfter(STARTED).matches(s)).isTrue();
        assertThat(startedAfter(STARTED.minusMillis(1)).matches(s)).isTrue();
        assertThat(startedAfter(STARTED.plusMillis(1)).matches(s)).isFalse();
    }

    @Test
    void noBoundKeepsEverySandbox() {
        assertThat(startedAfter(null).matches(sandbox(STARTED))).isTrue();
    }

    private static ListQuery startedAfter(Instant bound) {
        return new ListQuery(Map.of(), Set.of("running", "paused"), Set.of(), bound, false, 100, null);
    }

    private static Sandbox sandbox(Instant startedAt) {
        return new Sandbox(
                "sb-0000000a",
                "team-1",
                "default",
                "base",
                SandboxStatus.RUNNING,
                1,
                512,
                0,
                "10.0.0.2",
                Map.of(),
                null,
                startedAt.minusSeconds(5),
                startedAt,
                null,
                startedAt);
    }
}
