package dev.wrenn.host.vmm.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.host.vmm.StateFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The QMP sequences that save and load a VM's state through QEMU's migration machinery. With the
 * {@code x-ignore-shared} capability, RAM in a shared file is skipped: the stream is device state only (~60 KB).
 * Both sides of one stream must agree on the capability, so it is part of what {@link StateFile} records.
 */
final class QemuMigration {
    private static final Duration POLL = Duration.ofMillis(2);

    private QemuMigration() {}

    /** Saves the state of a stopped VM to {@code target}; private RAM is written into the stream too. */
    static StateFile save(QmpClient qmp, Path target, Path socket, boolean ramShared, Duration timeout)
            throws IOException, TimeoutException {
        setIgnoreShared(qmp, ramShared);
        qmp.execute("stop");
        try (StateSink sink = StateSink.listen(socket, target)) {
            qmp.execute("migrate", Map.of("uri", sink.uri()));
            awaitCompleted(qmp, "saving state to " + target, timeout);
            sink.await(timeout);
        }
        return new StateFile(target, !ramShared);
    }

    /** Loads a saved state into a VM started with {@code -incoming defer}; the VM stays paused. */
    static void load(QmpClient qmp, StateFile state, Duration timeout) throws TimeoutException {
        setIgnoreShared(qmp, !state.includesMemory());
        qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + shellQuote(state.path())));
        awaitCompleted(qmp, "loading state from " + state.path(), timeout);
    }

    private static void setIgnoreShared(QmpClient qmp, boolean on) {
        qmp.execute(
                "migrate-set-capabilities",
                Map.of("capabilities", List.of(Map.of("capability", "x-ignore-shared", "state", on))));
    }

    /** Polls query-migrate; a failed or cancelled migration becomes a {@link QmpException} naming its status and reason. */
    private static void awaitCompleted(QmpClient qmp, String what, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "none";
        while (System.nanoTime() < deadline) {
            JsonNode info = qmp.execute("query-migrate");
            status = info.path("status").asText("none");
            switch (status) {
                case "completed" -> {
                    return;
                }
                case "failed", "cancelled" ->
                    throw new QmpException(
                            "%s: migration %s: %s"
                                    .formatted(
                                            what,
                                            status,
                                            info.path("error-desc").asText("no reason given")),
                            "MigrationFailed");
                default -> sleep();
            }
        }
        cancelQuietly(qmp);
        throw new TimeoutException("%s: migration still `%s` after %s".formatted(what, status, timeout));
    }

    private static void cancelQuietly(QmpClient qmp) {
        try {
            qmp.execute("migrate_cancel");
        } catch (QmpException ignored) {
            // Best effort: the caller reports the timeout either way.
        }
    }

    static String shellQuote(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for a migration", e);
        }
    }
}
