package dev.wrenn.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.wrenn.host.testing.RealHostAgent;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.DirEntry;
import dev.wrenn.protocol.hostagent.v1.EntryType;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.GetMetricsRequest;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.HostAgentServiceGrpc;
import dev.wrenn.protocol.hostagent.v1.ListDirRequest;
import dev.wrenn.protocol.hostagent.v1.PtyInputRequest;
import dev.wrenn.protocol.hostagent.v1.PtyKillRequest;
import dev.wrenn.protocol.hostagent.v1.PtyResizeRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import io.grpc.Context;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** ListDir, GetMetrics and the terminal RPCs against one real sandbox (TCG here, so one VM serves the class). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleCallsTest {
    private static final String SANDBOX = "sb-cons0001";

    @TempDir
    static Path root;

    private RealHostAgent host;
    private HostAgentServiceGrpc.HostAgentServiceBlockingStub agent;

    @BeforeAll
    void bootOneSandbox() throws Exception {
        host = new RealHostAgent(root);
        agent = host.blocking();
        agent.createSandbox(CreateSandboxRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setMemoryMb(512)
                .build());
    }

    @AfterAll
    void destroyIt() {
        if (host != null) {
            host.close();
            assertThat(host.slotsInUse()).isZero();
        }
    }

    @Test
    void listDirShowsFilesDirectoriesAndSymlinksWithTheirSizes() {
        sh("mkdir -p /home/user/listing/sub && printf 12345 > /home/user/listing/five.txt"
                + " && ln -sf five.txt /home/user/listing/link");

        List<DirEntry> entries = agent.listDir(ListDirRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setPath("/home/user/listing")
                        .build())
                .getEntriesList();

        assertThat(entries)
                .extracting(DirEntry::getName, DirEntry::getType)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("sub", EntryType.ENTRY_TYPE_DIRECTORY),
                        org.assertj.core.groups.Tuple.tuple("five.txt", EntryType.ENTRY_TYPE_FILE),
                        org.assertj.core.groups.Tuple.tuple("link", EntryType.ENTRY_TYPE_SYMLINK));
        DirEntry five = entries.stream()
                .filter(e -> e.getName().equals("five.txt"))
                .findFirst()
                .orElseThrow();
        assertThat(five.getPath()).isEqualTo("/home/user/listing/five.txt");
        assertThat(five.getSize()).isEqualTo(5);
        assertThat(five.getPermissions()).startsWith("-rw");
        assertThat(five.getModifiedUnixMs()).isPositive();
    }

    @Test
    void listDirOfAMissingDirectoryIsNotFound() {
        assertThatThrownBy(() -> agent.listDir(ListDirRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setPath("/home/user/no-such-dir")
                        .build()))
                .hasMessageStartingWith("NOT_FOUND: listing /home/user/no-such-dir in sandbox " + SANDBOX);
    }

    @Test
    void metricsReportTheGuestsCpusAndMemory() {
        GetMetricsResponse metrics = agent.getMetrics(
                GetMetricsRequest.newBuilder().setSandboxId(SANDBOX).build());

        assertThat(metrics.getCpuCount()).isEqualTo(1);
        assertThat(metrics.getCpuUsedPct()).isBetween(0.0, 100.0);
        assertThat(metrics.getMemTotalBytes()).isBetween(256L << 20, 512L << 20);
        assertThat(metrics.getMemUsedBytes()).isPositive().isLessThan(metrics.getMemTotalBytes());
        assertThat(metrics.getTimestampUnixMs()).isPositive();
    }

    @Test
    void aTerminalEchoesTypedInputFollowsResizesAndEndsWithItsExitCode() {
        Iterator<PtyStartResponse> events = agent.ptyStart(bash(100, 30));
        int pid = events.next().getStarted().getPid();
        assertThat(pid).isPositive();

        type(pid, "stty size; echo $TERM; whoami\n");
        assertThat(readUntil(events, "user\r\n")).contains("30 100\r\n", "xterm-256color\r\n");

        agent.ptyResize(PtyResizeRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setPid(pid)
                .setCols(120)
                .setRows(40)
                .build());
        type(pid, "stty size\n");
        assertThat(readUntil(events, "40 120\r\n")).contains("40 120");

        type(pid, "exit 4\n");
        assertThat(exitOf(events)).isEqualTo(4);
    }

    @Test
    void killingATerminalEndsItsStream() {
        Iterator<PtyStartResponse> events = agent.ptyStart(bash(80, 24));
        int pid = events.next().getStarted().getPid();

        agent.ptyKill(
                PtyKillRequest.newBuilder().setSandboxId(SANDBOX).setPid(pid).build());

        PtyStartResponse last = drain(events);
        assertThat(last.hasExit()).isTrue();
        assertThat(last.getExit().getError()).contains("killed");
    }

    @Test
    void cancellingPtyStartKillsTheShell() throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        int pid = call.call(() -> {
            Iterator<PtyStartResponse> events = agent.ptyStart(bash(80, 24));
            return events.next().getStarted().getPid();
        });

        call.cancel(null);

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> sh("kill -0 " + pid + " 2>/dev/null && echo alive || echo gone")
                        .equals("gone\n"));
    }

    private PtyStartRequest bash(int cols, int rows) {
        return PtyStartRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setCmd("/bin/bash")
                .addArgs("--norc")
                .putAllEnvs(Map.of("TERM", "xterm-256color", "PS1", "$ "))
                .setCols(cols)
                .setRows(rows)
                .build();
    }

    private void type(int pid, String text) {
        agent.ptyInput(PtyInputRequest.newBuilder()
                .setSandboxId(SANDBOX)
                .setPid(pid)
                .setData(ByteString.copyFromUtf8(text))
                .build());
    }

    private static String readUntil(Iterator<PtyStartResponse> events, String marker) {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker) < 0) {
            PtyStartResponse event = events.next();
            assertThat(event.hasOutput())
                    .as("output before %s, got %s after %s", marker, event, seen)
                    .isTrue();
            seen.append(event.getOutput().toStringUtf8());
        }
        return seen.toString();
    }

    private static int exitOf(Iterator<PtyStartResponse> events) {
        PtyStartResponse last = drain(events);
        assertThat(last.hasExit()).as("last event %s", last).isTrue();
        return last.getExit().getExitCode();
    }

    private static PtyStartResponse drain(Iterator<PtyStartResponse> events) {
        PtyStartResponse last = null;
        while (events.hasNext()) {
            last = events.next();
        }
        return last;
    }

    private String sh(String script) {
        return agent.exec(ExecRequest.newBuilder()
                        .setSandboxId(SANDBOX)
                        .setCmd("sh")
                        .addArgs("-c")
                        .addArgs(script)
                        .build())
                .getStdout()
                .toStringUtf8();
    }
}
