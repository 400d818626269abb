package dev.wrenn.host.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.testing.HostTier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real QEMU: a microvm with no kernel, held before its first instruction by {@code -S}. */
class QmpClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Process qemu;
    private QmpClient qmp;

    @BeforeEach
    void startQemu() throws Exception {
        HostTier.requireTools();
        Path socket = dir.resolve("qmp.sock");
        qemu = Command.of(
                        "qemu-system-x86_64",
                        "-M",
                        "microvm",
                        "-nodefaults",
                        "-display",
                        "none",
                        "-S",
                        "-qmp",
                        "unix:" + socket + ",server=on,wait=off")
                .start(dir.resolve("qemu.log"));
        for (int i = 0; i < 500 && !Files.exists(socket) && qemu.isAlive(); i++) {
            Thread.sleep(10);
        }
        qmp = QmpClient.connect(socket, TIMEOUT);
    }

    @AfterEach
    void stopQemu() throws Exception {
        if (qmp != null) {
            qmp.close();
        }
        if (qemu != null) {
            qemu.destroy();
            if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
            }
        }
    }

    @Test
    void theGreetingNamesTheQemuVersion() {
        assertThat(qmp.qemuVersion()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void aCommandReturnsItsResult() {
        JsonNode status = qmp.execute("query-status");

        assertThat(status.path("status").asText()).isEqualTo("prelaunch");
        assertThat(status.path("running").asBoolean()).isFalse();
    }

    @Test
    void argumentsAreSentAsJson() {
        JsonNode result = qmp.execute("qom-get", Map.of("path", "/machine", "property", "type"));

        assertThat(result.asText()).isEqualTo("microvm-machine");
    }

    @Test
    void anUnknownCommandIsAnErrorWithQemusClass() {
        assertThatThrownBy(() -> qmp.execute("no-such-command"))
                .isInstanceOf(QmpException.class)
                .hasMessageContaining("no-such-command")
                .extracting(e -> ((QmpException) e).errorClass())
                .isEqualTo("CommandNotFound");
    }

    @Test
    void eventsAreDeliveredToWhoeverAwaitsThem() {
        qmp.execute("cont");
        qmp.execute("stop");

        assertThat(qmp.awaitEvent("RESUME", TIMEOUT).name()).isEqualTo("RESUME");
        assertThat(qmp.awaitEvent("STOP", TIMEOUT).name()).isEqualTo("STOP");
        assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("paused");
    }

    @Test
    void quitEndsQemuAndClosesTheConnection() throws Exception {
        qmp.execute("quit");

        assertThat(qmp.awaitEvent("SHUTDOWN", TIMEOUT).data().path("reason").asText())
                .isEqualTo("host-qmp-quit");
        assertThat(qemu.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> qmp.execute("query-status"))
                .isInstanceOf(QmpException.class)
                .hasMessageContaining("qmp.sock");
    }

    @Test
    void concurrentCommandsEachGetTheirOwnAnswer() throws Exception {
        var threads = new java.util.ArrayList<Thread>();
        var answers = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        for (int i = 0; i < 20; i++) {
            threads.add(Thread.ofVirtual()
                    .start(() -> answers.add(
                            qmp.execute("query-status").path("status").asText())));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(answers).hasSize(20).containsOnly("prelaunch");
    }
}
