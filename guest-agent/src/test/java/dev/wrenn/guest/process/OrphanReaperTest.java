package dev.wrenn.guest.process;

import static dev.wrenn.guest.process.ProcessClient.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrphanReaperTest {
    private static final ProcessClient client = new ProcessClient();
    private static OrphanReaper reaper;

    @BeforeAll
    static void startReaper() {
        reaper = OrphanReaper.start(client.service, Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() {
        reaper.close();
        client.close();
    }

    @Test
    void anOrphanedGrandchildBecomesOurChildAndIsReapedWhenItExits() {
        long orphan =
                Long.parseLong(client.run(shell("sleep 60 & echo $!")).stdout().trim());
        long self = ProcessHandle.current().pid();
        await().atMost(StreamCall.PATIENCE)
                .alias("the orphan was re-parented to the agent, the subreaper")
                .until(() -> parentOf(orphan).equals(Optional.of(self)));

        ProcessHandle.of(orphan).orElseThrow().destroyForcibly();

        await().atMost(StreamCall.PATIENCE)
                .alias("the dead orphan is no longer a zombie child of the agent")
                .until(() -> Files.notExists(Path.of("/proc", Long.toString(orphan))));
    }

    @Test
    void shortLivedOrphansLeaveNoZombies() {
        String pids = client.run(shell("for i in 1 2 3; do sleep 0.2 & echo $!; done"))
                .stdout();

        for (String pid : pids.trim().split("\n")) {
            await().atMost(StreamCall.PATIENCE).until(() -> Files.notExists(Path.of("/proc", pid)));
        }
        assertThat(pids.trim().split("\n")).hasSize(3);
    }

    private static Optional<Long> parentOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(
                    Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
