package dev.wrenn.host.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest that prints to its serial console without end, written as QEMU writes it (O_APPEND, what the
 * {@code append=on} chardev opens), while the host agent's rotation runs: the file stays under its cap and its tail
 * still shows the guest's last line.
 */
@Tag("security")
class ConsoleFloodSecurityTest {
    private static final long CAP = 1 << 20;

    @TempDir
    Path vmDirs;

    @Test
    void aConsoleFloodedByItsGuestStaysUnderItsCapAndKeepsItsTail() throws Exception {
        Path console = Files.createDirectories(vmDirs.resolve("sb-flood")).resolve("console.log");
        byte[] line = "the guest says this again and again and again\n".getBytes(StandardCharsets.US_ASCII);
        long written = 0;
        try (ConsoleRotation rotation = new ConsoleRotation(vmDirs, CAP, Duration.ofMillis(20));
                FileChannel qemu = FileChannel.open(
                        console, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (written < 40 * CAP) {
                written += qemu.write(ByteBuffer.wrap(line));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.size(console) <= CAP);
            // After the cuts, QEMU's next write still lands at the end, where the console tail reads it.
            qemu.write(ByteBuffer.wrap("last words\n".getBytes(StandardCharsets.US_ASCII)));
        }

        assertThat(written).isGreaterThan(10 * CAP);
        assertThat(Files.size(console)).isLessThanOrEqualTo(CAP);
        assertThat(new ConsoleLog(console).tail(1)).isEqualTo("last words");
    }

    @Test
    void aCutKeepsTheNewestHalfBehindAMarker() throws Exception {
        Path console = vmDirs.resolve("console.log");
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 3 * CAP; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(console, text);

        assertThat(new ConsoleLog(console).rotate(CAP)).isTrue();

        String kept = Files.readString(console);
        assertThat(kept).startsWith("\n[wrenn: console cut here, older output dropped]\n");
        assertThat((long) kept.length()).isLessThanOrEqualTo(CAP / 2);
        assertThat(kept).endsWith(text.substring(text.length() - 1000));
        assertThat(new ConsoleLog(console).rotate(CAP)).isFalse();
    }
}
