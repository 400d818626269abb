package dev.wrenn.host.sandbox;

import static dev.wrenn.host.oci.TestImages.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.EnvdHealth;
import dev.wrenn.host.guest.EnvdInitializer;
import dev.wrenn.host.guest.ProcessSpec;
import dev.wrenn.host.image.GuestImage;
import dev.wrenn.host.image.ImageStore;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.SlotAllocator;
import dev.wrenn.host.net.SlotRange;
import dev.wrenn.host.oci.Cancellation;
import dev.wrenn.host.oci.PreparedImage;
import dev.wrenn.host.oci.TestImages;
import dev.wrenn.host.oci.TestRegistry;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.testing.RealImage;
import dev.wrenn.host.testing.RealSandboxes;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BuildImageTemplate end to end with real parts: a Debian image made by the test from the base disk (without Wrenn's
 * files and without the account `user`) and a second layer with whiteouts, served by a registry on 127.0.0.1 behind
 * a bearer token, built into a template, and a sandbox started from it runs commands in the image's root. Also
 * {@code e2bdev/base}, which needs no registry. Own data directory and slots (WRENN_TEST_FIRST_SLOT + 300..301).
 */
class RealImageTemplateTest {
    private static final Duration BOOT = Duration.ofSeconds(300);
    private static final SlotRange SLOTS = new SlotRange(RealImage.SLOTS.first() + 300, 2);
    private static final Path ROOT = Path.of(RealImage.DATA_DIR + "-oci");

    private static final EnvdClients guests = new EnvdClients();
    private static DataDir dataDir;
    private static SandboxManager manager;
    private static TestRegistry registry;
    private static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        Command.of("rm", "-rf", ROOT.resolve("images").toString()).run(); // linked again below, to the current image
        dataDir = RealImage.dataDirUnder(ROOT);
        new Sweeper(dataDir, new Ip(), new Nft(), SLOTS).sweep();
        Accel accel = RealSandboxes.accel(RealImage.dataDir());
        long tscKhz = HostCpu.tscKhz();
        manager = new SandboxManager(
                dataDir,
                new SlotAllocator(SLOTS),
                new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated()),
                new QemuImg(),
                spec -> new QemuMicrovm(spec, accel, tscKhz),
                new EnvdHealth(),
                new EnvdInitializer(guests, Clock.systemUTC()),
                BOOT,
                new ImageStore(dataDir.images()),
                SandboxLimits.NONE);
        manager.recover();
        for (String leftover : List.of("tpl-oci-debian", "tpl-oci-base", "tpl-oci-tiny")) {
            manager.deleteSnapshot(leftover);
        }
        registry = new TestRegistry().requireToken("builder", "pw-1");
        work = Files.createTempDirectory(ROOT, "work-");
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (manager != null) {
            for (SandboxSummary sandbox : manager.list()) {
                manager.destroy(sandbox.sandboxId());
            }
            manager.deleteSnapshot("tpl-oci-debian");
            manager.deleteSnapshot("tpl-oci-base");
            manager.deleteSnapshot("tpl-oci-tiny");
            manager.close();
            new Sweeper(dataDir, new Ip(), new Nft(), SLOTS).sweep();
        }
        if (registry != null) {
            registry.close();
        }
        if (work != null) {
            Command.of("rm", "-rf", work.toString())
                    .withTimeout(Duration.ofMinutes(5))
                    .run();
        }
        guests.close();
    }

    @Test
    void aDebianImageFromALocalRegistryBecomesATemplateThatSandboxesStartFrom() throws Exception {
        String ref = pushDebianImage();
        List<String> log = new ArrayList<>();
        PreparedImage built = manager.buildImageTemplate(
                new ImageBuildRequest("tpl-oci-debian", ref, "builder", "pw-1", 1, 512, 0),
                (level, line) -> log.add(line),
                Cancellation.none());

        assertThat(built.config().env()).containsEntry("GREETING", "from the image");
        assertThat(built.config().workdir()).isEqualTo("/srv");
        assertThat(built.config().cmd()).containsExactly("python3", "-m", "http.server");
        assertThat(built.digest()).startsWith("sha256:");
        assertThat(log).anyMatch(l -> l.contains("created user `user`")).anyMatch(l -> l.contains("mkfs.ext4"));
        assertThat(manager.listTemplates()).extracting(TemplateInfo::name).contains("tpl-oci-debian");
        assertThatThrownBy(() -> manager.buildImageTemplate(
                        new ImageBuildRequest("tpl-oci-debian", ref, "builder", "pw-1", 1, 512, 0),
                        (level, line) -> {},
                        Cancellation.none()))
                .isInstanceOf(HostAgentException.class)
                .extracting(e -> ((HostAgentException) e).code())
                .isEqualTo(ErrorCode.ALREADY_EXISTS);

        SandboxSummary sandbox = manager.create(new SandboxRequest("sb-ocideb01", "tpl-oci-debian", 0, 0, 0));
        assertThat(sh(sandbox.sandboxId(), "cat /srv/hello.txt")).isEqualTo("hello from layer 2");
        assertThat(sh(sandbox.sandboxId(), "test ! -e /etc/motd && echo whited-out"))
                .isEqualTo("whited-out");
        assertThat(sh(sandbox.sandboxId(), "id -u user; test -d /home/user && echo home"))
                .isEqualTo("1000\nhome");
        assertThat(sh(sandbox.sandboxId(), "python3 -c 'print(6*7)'")).isEqualTo("42");
        assertThat(sh(sandbox.sandboxId(), "cat /proc/1/cmdline | tr '\\0' ' '"))
                .contains("/opt/wrenn/bin/tini");

        manager.destroy(sandbox.sandboxId());
        manager.deleteSnapshot("tpl-oci-debian");
        assertThat(dataDir.root().resolve("oci/images/tpl-oci-debian"))
                .as("the template's disk goes with it")
                .doesNotExist();
    }

    @Test
    void e2bBaseIsWrennsOwnBaseImageWithoutARegistry() {
        PreparedImage built = manager.buildImageTemplate(
                new ImageBuildRequest("tpl-oci-base", "e2bdev/base", "", "", 1, 512, 0),
                (level, line) -> {},
                Cancellation.none());
        assertThat(built.config().user()).isEqualTo("user");
        assertThat(built.config().workdir()).isEqualTo("/home/user");
        SandboxSummary sandbox = manager.create(new SandboxRequest("sb-ocibase1", "tpl-oci-base", 0, 0, 0));
        assertThat(sh(sandbox.sandboxId(), "cat /etc/wrenn/image | head -1")).startsWith("inputs_sha256=");
        manager.destroy(sandbox.sandboxId());
    }

    @Test
    void anImageWithoutLibcBashSetprivOrUserBootsOnWrennsOwnTree() throws Exception {
        // Only a static busybox: no libc at all (stricter than Alpine's musl), no bash, no setpriv, no `user`.
        GuestImage base = new ImageStore(dataDir.images()).resolve(ImageStore.BASE);
        byte[] busybox = busybox(base.initramfs());
        TestImages.Layer layer = TestImages.layer(work.resolve("busybox.tar.gz"), true, tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("bin/busybox");
            entry.setSize(busybox.length);
            entry.setMode(0755);
            tar.putArchiveEntry(entry);
            tar.write(busybox);
            tar.closeArchiveEntry();
            for (String applet : List.of("sh", "cat", "id", "echo", "ls", "test", "tr", "whoami", "true", "rm")) {
                TestImages.symlink(tar, "bin/" + applet, "busybox");
            }
            file(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
            file(tar, "etc/group", "root:x:0:\n");
        });
        TestImages.push(registry, work, "wrenn/tiny", "1", List.of(layer), Map.of("Cmd", List.of("/bin/sh")), false);

        manager.buildImageTemplate(
                new ImageBuildRequest("tpl-oci-tiny", registry.host() + "/wrenn/tiny:1", "builder", "pw-1", 1, 512, 0),
                (level, line) -> {},
                Cancellation.none());
        SandboxSummary sandbox = manager.create(new SandboxRequest("sb-ocitiny1", "tpl-oci-tiny", 0, 0, 0));
        assertThat(sh(sandbox.sandboxId(), "whoami; id -u"))
                .as("commands run as `user` through the setpriv shim")
                .isEqualTo("user\n1000");
        assertThat(sh(sandbox.sandboxId(), "ls /usr/bin/setpriv && test ! -e /lib/x86_64-linux-gnu && echo no-glibc"))
                .endsWith("no-glibc");
        manager.destroy(sandbox.sandboxId());
        manager.deleteSnapshot("tpl-oci-tiny");
    }

    private static byte[] busybox(Path initramfs) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(initramfs));
                var cpio = new org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream(in)) {
            org.apache.commons.compress.archivers.cpio.CpioArchiveEntry entry;
            while ((entry = cpio.getNextEntry()) != null) {
                if (entry.getName().replaceFirst("^\\./", "").equals("bin/busybox")) {
                    return cpio.readAllBytes();
                }
            }
        }
        throw new IOException("no bin/busybox in " + initramfs);
    }

    /** The base disk's Debian tree (minus Wrenn's files and `user`), plus a layer with a file and a whiteout. */
    private static String pushDebianImage() throws Exception {
        GuestImage base = new ImageStore(dataDir.images()).resolve(ImageStore.BASE);
        Path tree = Files.createDirectories(work.resolve("tree"));
        String listing = Command.of("debugfs", "-R", "ls -p /", base.rootfs().toString())
                .run()
                .stdout();
        for (String line : listing.split("\n")) {
            String[] fields = line.split("/");
            if (fields.length < 6) {
                continue;
            }
            String name = fields[5];
            if (name.isEmpty()
                    || name.equals(".")
                    || name.equals("..")
                    || name.equals("opt")
                    || name.equals("lost+found")) {
                continue;
            }
            Command.of(
                            "debugfs",
                            "-R",
                            "rdump /" + name + " " + tree,
                            base.rootfs().toString())
                    .withTimeout(Duration.ofMinutes(10))
                    .run();
        }
        Command.of(
                        "rm",
                        "-rf",
                        tree + "/usr/lib/modules",
                        tree + "/usr/sbin/wrenn-init",
                        tree + "/etc/wrenn",
                        tree + "/usr/local/bin/wrenn-supervise",
                        tree + "/home/user",
                        tree + "/etc/sudoers.d/wrenn-user")
                .run();
        for (String accounts : List.of("etc/passwd", "etc/group", "etc/shadow", "etc/gshadow")) {
            Path file = tree.resolve(accounts);
            if (Files.exists(file)) {
                List<String> kept = Files.readAllLines(file).stream()
                        .filter(l -> !l.startsWith("user:"))
                        .toList();
                Files.write(file, kept);
            }
        }
        if (!Files.exists(tree.resolve("etc/motd"))) {
            Files.writeString(tree.resolve("etc/motd"), "motd\n");
        }
        TestImages.Layer debian = TestImages.tree(tree, work.resolve("debian.tar"), false);
        TestImages.Layer top = TestImages.layer(work.resolve("top.tar.gz"), true, tar -> {
            file(tar, "srv/hello.txt", "hello from layer 2");
            file(tar, "etc/.wh.motd", "");
        });
        Command.of("rm", "-rf", tree.toString())
                .withTimeout(Duration.ofMinutes(5))
                .run();
        TestImages.push(
                registry,
                work,
                "wrenn/debian",
                "test",
                List.of(debian, top),
                Map.of(
                        "Env",
                                List.of(
                                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                        "GREETING=from the image"),
                        "WorkingDir", "/srv",
                        "Cmd", List.of("python3", "-m", "http.server")),
                true);
        return registry.host() + "/wrenn/debian:test";
    }

    private static String sh(String sandboxId, String script) {
        var result = guests.forGuest(manager.guest(sandboxId))
                .run(ProcessSpec.of("/bin/sh", "-c", script), Duration.ofSeconds(120), 1 << 20);
        if (result.exitCode() != 0) {
            fail(
                    "`%s` failed (%d): %s",
                    script, result.exitCode(), result.stderr().toString(StandardCharsets.UTF_8));
        }
        return result.stdout().toString(StandardCharsets.UTF_8).strip();
    }
}
