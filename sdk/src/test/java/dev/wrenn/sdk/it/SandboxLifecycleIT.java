package dev.wrenn.sdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wrenn.sdk.AuthenticationException;
import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.NotFoundException;
import dev.wrenn.sdk.Paginator;
import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.SandboxException;
import dev.wrenn.sdk.SandboxInfo;
import dev.wrenn.sdk.SandboxMetrics;
import dev.wrenn.sdk.SandboxOptions;
import dev.wrenn.sdk.SandboxQuery;
import dev.wrenn.sdk.SandboxState;
import dev.wrenn.sdk.SnapshotInfo;
import dev.wrenn.sdk.TemplateInfo;
import dev.wrenn.sdk.Templates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sandboxes as a whole against a real {@code wrenn up}: create, connect, list with paging, kill, pause, timeouts. */
@Timeout(600)
class SandboxLifecycleIT {
    private final ConnectionConfig config = LiveServer.config();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private SandboxOptions.Builder options() {
        return SandboxOptions.builder().config(config).metadata("suite", "sdk-it-" + run);
    }

    @Test
    void createConnectListWithPagingAndKill() {
        Sandbox first = Sandbox.create(
                options().metadata("n", "1").env("GREETING", "hi").build());
        Sandbox second = Sandbox.create(options().metadata("n", "2").build());
        try {
            assertThat(first.commands().run("echo $GREETING").stdout()).isEqualTo("hi\n");

            Paginator<SandboxInfo> pages = Sandbox.list(SandboxQuery.builder()
                    .config(config)
                    .metadata("suite", "sdk-it-" + run)
                    .limit(1)
                    .build());
            List<String> seen = new ArrayList<>();
            int calls = 0;
            while (pages.hasNext()) {
                List<SandboxInfo> page = pages.nextItems();
                calls++;
                assertThat(page).hasSizeLessThanOrEqualTo(1);
                page.forEach(s -> seen.add(s.sandboxId()));
            }
            assertThat(seen).containsExactlyInAnyOrder(first.sandboxId(), second.sandboxId());
            assertThat(calls).isGreaterThanOrEqualTo(2);

            List<SandboxInfo> filtered = Sandbox.list(SandboxQuery.builder()
                            .config(config)
                            .metadata("suite", "sdk-it-" + run)
                            .metadata("n", "2")
                            .build())
                    .all();
            assertThat(filtered).extracting(SandboxInfo::sandboxId).containsExactly(second.sandboxId());

            Sandbox again = Sandbox.connect(first.sandboxId(), config);
            assertThat(again.sandboxId()).isEqualTo(first.sandboxId());
            assertThat(again.commands().run("echo connected").stdout()).isEqualTo("connected\n");
            SandboxInfo info = again.getInfo();
            assertThat(info.state()).isEqualTo(SandboxState.RUNNING);
            assertThat(info.metadata()).containsEntry("n", "1");
            assertThat(info.templateId()).isNotBlank();

            assertThat(first.kill()).isTrue();
            assertThat(first.kill()).isFalse();
            assertThatThrownBy(first::getInfo).isInstanceOf(NotFoundException.class);
        } finally {
            first.kill();
            second.kill();
        }
    }

    @Test
    void pauseAndResumeKeepMemoryAndFiles() {
        try (Sandbox sandbox = Sandbox.create(options().build())) {
            sandbox.files().write("/tmp/kept.txt", "before pause");
            sandbox.commands().run("echo 41 > /dev/shm/counter");
            assertThat(sandbox.pause()).isTrue();
            assertThat(sandbox.getInfo().state()).isEqualTo(SandboxState.PAUSED);
            assertThat(sandbox.isRunning()).isFalse();
            assertThat(sandbox.pause()).isFalse();

            Sandbox resumed = sandbox.resume();
            assertThat(resumed.getInfo().state()).isEqualTo(SandboxState.RUNNING);
            assertThat(resumed.files().read("/tmp/kept.txt")).isEqualTo("before pause");
            // /dev/shm is memory: it survives only because the VM's memory was kept.
            assertThat(resumed.commands().run("cat /dev/shm/counter").stdout()).isEqualTo("41\n");
        }
    }

    @Test
    void aSandboxEndsWhenItsTimeoutPasses() {
        Sandbox sandbox =
                Sandbox.create(options().timeout(Duration.ofMinutes(5)).build());
        try {
            sandbox.setTimeout(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        try {
                            sandbox.getInfo();
                            return false;
                        } catch (NotFoundException e) {
                            return true;
                        }
                    });
            assertThat(sandbox.isRunning()).isFalse();
        } finally {
            sandbox.kill();
        }
    }

    @Test
    void metricsReportTheSandboxsResources() {
        try (Sandbox sandbox = Sandbox.create(options().build())) {
            List<SandboxMetrics> metrics = sandbox.getMetrics();
            assertThat(metrics).isNotEmpty();
            SandboxMetrics last = metrics.get(metrics.size() - 1);
            assertThat(last.memTotal()).isPositive();
            assertThat(last.memUsed()).isPositive();
            assertThat(last.cpuCount()).isPositive();
            assertThat(last.timestamp()).isNotNull();
        }
    }

    @Test
    void snapshotsAndForksCarryMemoryAndDisk() {
        String name = "sdk-it-" + run;
        Sandbox source = Sandbox.create(options().build());
        List<Sandbox> made = new ArrayList<>();
        String forkTemplate = null;
        try {
            source.files().write("/home/user/state.txt", "snapshotted");
            SnapshotInfo snapshot = source.createSnapshot(name);
            assertThat(snapshot.snapshotId()).isEqualTo(name);
            assertThat(Sandbox.listSnapshots(config).all())
                    .extracting(SnapshotInfo::snapshotId)
                    .contains(name);
            assertThat(Templates.list(config)).extracting(TemplateInfo::name).contains("base", name);
            // The source keeps running after its snapshot.
            assertThat(source.commands().run("echo still here").stdout()).isEqualTo("still here\n");

            Sandbox fromSnapshot =
                    Sandbox.create(options().template(snapshot.snapshotId()).build());
            made.add(fromSnapshot);
            assertThat(fromSnapshot.files().read("/home/user/state.txt")).isEqualTo("snapshotted");

            List<String> before = snapshotIds();
            List<Sandbox> forks = source.fork(1, Duration.ofMinutes(5));
            made.addAll(forks);
            assertThat(forks).hasSize(1);
            assertThat(forks.get(0).sandboxId()).isNotEqualTo(source.sandboxId());
            assertThat(forks.get(0).files().read("/home/user/state.txt")).isEqualTo("snapshotted");
            List<String> after = snapshotIds();
            after.removeAll(before);
            forkTemplate = after.isEmpty() ? null : after.get(0);

            // A snapshot that sandboxes still start from is kept.
            assertThatThrownBy(() -> Sandbox.deleteSnapshot(name, config)).isInstanceOf(SandboxException.class);
        } finally {
            made.forEach(Sandbox::kill);
            source.kill();
        }
        assertThat(Sandbox.deleteSnapshot(name, config)).isTrue();
        assertThat(Sandbox.deleteSnapshot(name, config)).isFalse();
        if (forkTemplate != null) {
            Sandbox.deleteSnapshot(forkTemplate, config);
        }
    }

    private List<String> snapshotIds() {
        List<String> ids = new ArrayList<>();
        Sandbox.listSnapshots(config).all().forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    @Test
    void errorsCarryTheServersMessage() {
        assertThatThrownBy(() -> Sandbox.connect("sb-00000000", config))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("sb-00000000");
        ConnectionConfig wrongKey = ConnectionConfig.wrenn(config.apiUrl().toString(), "wrn_not-a-key")
                .build();
        assertThatThrownBy(() -> Sandbox.list(
                                SandboxQuery.builder().config(wrongKey).build())
                        .nextItems())
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> Sandbox.create(
                        options().template("no-such-template-" + run).build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("no-such-template-" + run);
    }
}
