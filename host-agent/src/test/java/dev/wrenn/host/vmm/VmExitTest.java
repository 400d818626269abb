package dev.wrenn.host.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmExitTest {
    @TempDir
    Path dir;

    @Test
    void exitStatusesAndSignalsAreDescribedAsAnOperatorReadsThem() {
        assertThat(new VmExit(0).describe()).isEqualTo("exited with status 0");
        assertThat(new VmExit(1).describe()).isEqualTo("exited with status 1");
        assertThat(new VmExit(137).describe()).isEqualTo("was killed by signal 9 (SIGKILL)");
        assertThat(new VmExit(143).describe()).isEqualTo("was killed by signal 15 (SIGTERM)");
        assertThat(VmExit.UNKNOWN.describe()).isEqualTo("exited (status unknown)");
    }

    @Test
    void theConsoleTailHasTheLastPrintableLines() throws Exception {
        Path console = dir.resolve("console.log");
        Files.writeString(console, "one\r\ntwo\n\u001b[0mthree\n\nfour\n");

        assertThat(new ConsoleLog(console).tail(2)).isEqualTo("three\nfour");
        assertThat(new ConsoleLog(dir.resolve("absent.log")).tail()).isEqualTo("(console empty)");
    }

    @Test
    void aKernelCallTraceDoesNotPushTheReasonOutOfTheTail() throws Exception {
        Path console = dir.resolve("console.log");
        StringBuilder text = new StringBuilder("wrenn-initramfs: cannot mount /dev/vda\n");
        text.append("[    1.5] Kernel panic - not syncing: Attempted to kill init!\n[    1.5] Call Trace:\n");
        text.append("[    1.5]  ? frame\n".repeat(40)).append("[    1.5]  </TASK>\n[    1.5] Kernel Offset: 0x0\n");
        Files.writeString(console, text);

        assertThat(new ConsoleLog(console).tail(4))
                .startsWith("wrenn-initramfs: cannot mount /dev/vda")
                .contains("Attempted to kill init!")
                .doesNotContain("frame");
    }
}
