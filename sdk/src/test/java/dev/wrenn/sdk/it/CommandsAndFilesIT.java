package dev.wrenn.sdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wrenn.sdk.NotFoundException;
import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.SandboxOptions;
import dev.wrenn.sdk.TimeoutException;
import dev.wrenn.sdk.commands.CommandExitException;
import dev.wrenn.sdk.commands.CommandHandle;
import dev.wrenn.sdk.commands.CommandOptions;
import dev.wrenn.sdk.commands.CommandResult;
import dev.wrenn.sdk.commands.ProcessInfo;
import dev.wrenn.sdk.commands.PtyOptions;
import dev.wrenn.sdk.files.EntryInfo;
import dev.wrenn.sdk.files.FileType;
import dev.wrenn.sdk.files.FilesystemEvent;
import dev.wrenn.sdk.files.FilesystemEventType;
import dev.wrenn.sdk.files.WatchHandle;
import dev.wrenn.sdk.files.WriteInfo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Commands, files, watches and the PTY of one sandbox of a real {@code wrenn up}. */
@Timeout(300)
class CommandsAndFilesIT {
    private static Sandbox sandbox;

    @BeforeAll
    static void create() {
        sandbox = Sandbox.create(SandboxOptions.builder()
                .config(LiveServer.config())
                .timeout(Duration.ofMinutes(20))
                .build());
    }

    @AfterAll
    static void kill() {
        if (sandbox != null) {
            sandbox.kill();
        }
    }

    @Test
    void aCommandsOutputStreamsAsItArrives() {
        List<String> chunks = new CopyOnWriteArrayList<>();
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        CommandResult result = sandbox.commands()
                .run(
                        "for i in 1 2 3; do echo line$i; sleep 0.5; done; echo oops >&2",
                        CommandOptions.builder()
                                .onStdout(s -> {
                                    chunks.add(s);
                                    arrivals.add(System.nanoTime());
                                })
                                .build());
        assertThat(result.stdout()).isEqualTo("line1\nline2\nline3\n");
        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(result.exitCode()).isZero();
        assertThat(String.join("", chunks)).isEqualTo("line1\nline2\nline3\n");
        // Streamed: the chunks came apart in time, not all at the end.
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(2);
        assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(0))
                .isGreaterThan(Duration.ofMillis(500).toNanos());
    }

    @Test
    void aFailedCommandIsACommandExitExceptionWithItsOutput() {
        assertThatThrownBy(() -> sandbox.commands().run("echo partial; echo broken >&2; exit 3"))
                .isInstanceOfSatisfying(CommandExitException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.result().stdout()).isEqualTo("partial\n");
                    assertThat(e.getMessage()).contains("broken");
                });
    }

    @Test
    void envsCwdAndUserApply() {
        CommandResult r = sandbox.commands()
                .run(
                        "echo $FOO; pwd; whoami",
                        CommandOptions.builder()
                                .env("FOO", "bar")
                                .cwd("/tmp")
                                .user("root")
                                .build());
        assertThat(r.stdout()).isEqualTo("bar\n/tmp\nroot\n");
        assertThat(sandbox.commands().run("whoami").stdout()).isEqualTo("user\n");
    }

    @Test
    void aBackgroundCommandTakesStdinIsListedAndEnds() {
        CommandHandle cat = sandbox.commands()
                .start(
                        "cat",
                        CommandOptions.builder()
                                .stdin(true)
                                .timeout(Duration.ZERO)
                                .build());
        try {
            assertThat(sandbox.commands().list()).extracting(ProcessInfo::pid).contains(cat.pid());
            cat.sendStdin("hello\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> cat.stdout().equals("hello\n"));
            assertThat(cat.exitCode()).isNull();
            cat.closeStdin();
            CommandResult r = cat.waitFor(Duration.ofSeconds(30));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo("hello\n");
        } finally {
            cat.kill();
        }
    }

    @Test
    void aBackgroundCommandIsKilledAndReattachedTo() {
        CommandHandle sleeper = sandbox.commands()
                .start(
                        "echo started; sleep 600",
                        CommandOptions.builder().timeout(Duration.ZERO).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeper.stdout().equals("started\n"));
        sleeper.disconnect();

        CommandHandle again = sandbox.commands()
                .connect(
                        sleeper.pid(),
                        CommandOptions.builder().timeout(Duration.ZERO).build());
        assertThat(again.pid()).isEqualTo(sleeper.pid());
        assertThat(sandbox.commands().kill(sleeper.pid())).isTrue();
        assertThatThrownBy(() -> again.waitFor(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(
                        CommandExitException.class,
                        e -> assertThat(e.result().error()).contains("killed"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sandbox.commands().list().stream().noneMatch(p -> p.pid() == sleeper.pid()));
        assertThat(sandbox.commands().kill(sleeper.pid())).isFalse();
    }

    @Test
    void aCommandPastItsTimeoutIsATimeoutException() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> sandbox.commands()
                        .run(
                                "sleep 60",
                                CommandOptions.builder()
                                        .timeout(Duration.ofSeconds(2))
                                        .build()))
                .isInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void filesAsTextBytesAndStreams() throws Exception {
        WriteInfo written = sandbox.files().write("notes/a.txt", "héllo\n");
        assertThat(written.path()).isEqualTo("/home/user/notes/a.txt");
        assertThat(sandbox.files().read("/home/user/notes/a.txt")).isEqualTo("héllo\n");

        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        sandbox.files().write("/tmp/bytes.bin", all);
        assertThat(sandbox.files().readBytes("/tmp/bytes.bin")).isEqualTo(all);

        sandbox.files()
                .write(
                        "/tmp/stream.txt",
                        new java.io.ByteArrayInputStream("streamed".getBytes(StandardCharsets.UTF_8)));
        try (InputStream in = sandbox.files().readStream("/tmp/stream.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("streamed");
        }
        assertThat(sandbox.files()
                        .asUser("root")
                        .write("/root/secret.txt", "root's")
                        .path())
                .isEqualTo("/root/secret.txt");
        assertThat(sandbox.commands()
                        .run(
                                "stat -c %U /root/secret.txt",
                                CommandOptions.builder().user("root").build())
                        .stdout())
                .isEqualTo("root\n");
        assertThatThrownBy(() -> sandbox.files().read("/nope/missing.txt")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void listStatRenameRemoveAndMakeDir() {
        assertThat(sandbox.files().makeDir("/tmp/tree/sub")).isTrue();
        assertThat(sandbox.files().makeDir("/tmp/tree/sub")).isFalse();
        sandbox.files().write("/tmp/tree/one.txt", "1");
        sandbox.files().write("/tmp/tree/sub/two.txt", "22");

        assertThat(sandbox.files().list("/tmp/tree"))
                .extracting(EntryInfo::name)
                .containsExactly("one.txt", "sub");
        assertThat(sandbox.files().list("/tmp/tree", 2))
                .extracting(EntryInfo::path)
                .containsExactly("/tmp/tree/one.txt", "/tmp/tree/sub", "/tmp/tree/sub/two.txt");

        EntryInfo two = sandbox.files().getInfo("/tmp/tree/sub/two.txt");
        assertThat(two.type()).isEqualTo(FileType.FILE);
        assertThat(two.size()).isEqualTo(2);
        assertThat(two.owner()).isEqualTo("user");
        assertThat(two.permissions()).isEqualTo("-rw-r--r--");
        assertThat(two.modifiedTime()).isNotNull();
        assertThat(sandbox.files().getInfo("/tmp/tree/sub").type()).isEqualTo(FileType.DIRECTORY);

        EntryInfo moved = sandbox.files().rename("/tmp/tree/one.txt", "/tmp/tree/uno.txt");
        assertThat(moved.path()).isEqualTo("/tmp/tree/uno.txt");
        assertThat(sandbox.files().exists("/tmp/tree/one.txt")).isFalse();
        assertThat(sandbox.files().read("/tmp/tree/uno.txt")).isEqualTo("1");

        sandbox.files().remove("/tmp/tree");
        assertThat(sandbox.files().exists("/tmp/tree")).isFalse();
        sandbox.files().remove("/tmp/tree");
        assertThatThrownBy(() -> sandbox.files().getInfo("/tmp/tree")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aWatchReportsChangesAsTheyHappen() {
        sandbox.files().makeDir("/tmp/watched");
        List<FilesystemEvent> events = new CopyOnWriteArrayList<>();
        try (WatchHandle watch = sandbox.files().watchDir("/tmp/watched", events::add, true, Duration.ofMinutes(2))) {
            sandbox.files().write("/tmp/watched/a.txt", "a");
            sandbox.files().makeDir("/tmp/watched/nested");
            sandbox.files().write("/tmp/watched/nested/b.txt", "b");
            sandbox.files().remove("/tmp/watched/a.txt");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> events.contains(new FilesystemEvent("nested/b.txt", FilesystemEventType.CREATE))
                            && events.contains(new FilesystemEvent("a.txt", FilesystemEventType.REMOVE)));
            assertThat(events).contains(new FilesystemEvent("a.txt", FilesystemEventType.CREATE));
            assertThat(watch.failure()).isNull();
        }
        assertThatThrownBy(() -> sandbox.files().watchDir("/tmp/not-there", e -> {}))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aPtyRunsAShellThatFollowsResizes() {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        CommandHandle terminal = sandbox.pty()
                .create(PtyOptions.builder()
                        .size(100, 30)
                        .onData(b -> {
                            synchronized (screen) {
                                screen.writeBytes(b);
                            }
                        })
                        .build());
        try {
            sandbox.pty()
                    .sendInput(terminal.pid(), "echo cols=$(tput cols) tty=$(tty)\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).until(() -> text(screen).contains("cols=100 tty=/dev/pts/"));
            sandbox.pty().resize(terminal.pid(), 132, 40);
            sandbox.pty()
                    .sendInput(
                            terminal.pid(), "echo size=$(tput cols)x$(tput lines)\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).until(() -> text(screen).contains("size=132x40"));
            sandbox.pty().sendInput(terminal.pid(), "exit 0\n".getBytes(StandardCharsets.UTF_8));
            assertThat(terminal.waitFor(Duration.ofSeconds(30)).exitCode()).isZero();
        } finally {
            sandbox.pty().kill(terminal.pid());
        }
    }

    private static String text(ByteArrayOutputStream screen) {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aLargeFileTravelsBothWaysIntact() throws Exception {
        long size = 64L << 20;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        InputStream generated = new DigestInputStream(new PseudoRandomStream(size, 42), sent);
        sandbox.files().withTimeout(Duration.ofMinutes(10)).write("/tmp/large.bin", generated);
        String expected = HexFormat.of().formatHex(sent.digest());

        assertThat(sandbox.files().getInfo("/tmp/large.bin").size()).isEqualTo(size);
        String inside = sandbox.commands()
                .run(
                        "sha256sum /tmp/large.bin",
                        CommandOptions.builder().timeout(Duration.ofMinutes(5)).build())
                .stdout();
        assertThat(inside).startsWith(expected + " ");

        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = sandbox.files().readStream("/tmp/large.bin")) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.update(buffer, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(expected);
        sandbox.files().remove("/tmp/large.bin");
    }

    /** {@code size} bytes of a seeded generator, made as they are read: the test never holds the file. */
    static final class PseudoRandomStream extends InputStream {
        private final java.util.SplittableRandom random;
        private long left;

        PseudoRandomStream(long size, long seed) {
            this.left = size;
            this.random = new java.util.SplittableRandom(seed);
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            left -= n;
            return n;
        }
    }
}
