package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.sys.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * A test guest for snapshot tests: the {@link GuestImages} kernel and modules plus virtio_blk, and an init that
 * keeps state a snapshot must preserve and reports it over HTTP (port 80, CGI):
 * {@code /cgi-bin/counter} (a shell loop counting every 100 ms), {@code /cgi-bin/blob} (SHA-256 of 4 MiB of
 * random bytes on tmpfs, recomputed per request), {@code /cgi-bin/boot} (the kernel's boot id),
 * {@code /cgi-bin/mem?v} (writes v to a tmpfs file, returns the file) and {@code /cgi-bin/disk?v} (writes v to the
 * first sector of /dev/vda with fsync; drops the page cache and returns the first line read back from the disk).
 */
public final class SnapshotGuestImage {
    public static final String READY_LINE = "wrenn-snapshot-guest: ready";
    private static final List<String> MODULES =
            List.of("virtio_ring", "virtio", "virtio_mmio", "failover", "net_failover", "virtio_net", "virtio_blk");
    private static Path image;

    private SnapshotGuestImage() {}

    public static synchronized Path initramfs() throws IOException {
        if (image != null) {
            return image;
        }
        GuestImages.kernel();
        Path target = GuestImages.CACHE.resolve("snapshot-initramfs.cpio.gz");
        Path partial = Files.createTempFile(GuestImages.CACHE, "snapshot-initramfs", ".partial");
        try (CpioWriter cpio = new CpioWriter(new GZIPOutputStream(Files.newOutputStream(partial)))) {
            for (String dir : List.of("bin", "dev", "proc", "sys", "tmp", "www", "www/cgi-bin", "lib", "lib/modules")) {
                cpio.directory(dir);
            }
            cpio.charDevice("dev/console", 5, 1);
            cpio.file("bin/busybox", 0755, Files.readAllBytes(HostTier.BUSYBOX));
            cpio.file("init", 0755, bytes(initScript()));
            for (var cgi : cgiScripts().entrySet()) {
                cpio.file("www/cgi-bin/" + cgi.getKey(), 0755, bytes(cgi.getValue()));
            }
            for (String module : MODULES) {
                cpio.file("lib/modules/" + module + ".ko", 0644, Files.readAllBytes(module(module)));
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        image = target;
        return image;
    }

    private static String initScript() {
        return """
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                export PATH=/bin
                mount -t proc proc /proc
                mount -t sysfs sys /sys
                mount -t devtmpfs dev /dev
                mount -t tmpfs tmp /tmp
                for m in %s; do insmod /lib/modules/$m.ko || echo "insmod $m failed"; done
                ip link set lo up
                ip addr add 169.254.0.21/30 dev eth0
                ip link set eth0 up
                head -c 4194304 /dev/urandom > /tmp/blob
                echo booted > /tmp/mem
                (i=0; while true; do i=$((i+1)); echo $i > /tmp/counter; sleep 0.1; done) &
                echo ok > /www/health
                httpd -p 80 -h /www
                httpd -p 49983 -h /www
                echo "%s"
                while true; do sleep 3600; done
                """.formatted(String.join(" ", MODULES), READY_LINE);
    }

    private static java.util.Map<String, String> cgiScripts() {
        String head = "#!/bin/sh\necho 'Content-Type: text/plain'\necho\n";
        return java.util.Map.of(
                "counter",
                head + "cat /tmp/counter\n",
                "blob",
                head + "sha256sum /tmp/blob | cut -d' ' -f1\n",
                "boot",
                head + "cat /proc/sys/kernel/random/boot_id\n",
                "mem",
                head + "[ -n \"$QUERY_STRING\" ] && printf '%s\\n' \"$QUERY_STRING\" > /tmp/mem\ncat /tmp/mem\n",
                "disk",
                head + """
                        [ -b /dev/vda ] || { echo no-disk; exit 0; }
                        [ -n "$QUERY_STRING" ] && printf '%s\\n' "$QUERY_STRING" | dd of=/dev/vda bs=512 count=1 conv=sync,fsync 2>/dev/null
                        sync; echo 3 > /proc/sys/vm/drop_caches
                        dd if=/dev/vda bs=512 count=1 2>/dev/null | head -n 1 | tr -d '\\000'
                        """);
    }

    /** Modules come from the GuestImages cache; virtio_blk, which it does not keep, from the same kernel package. */
    private static Path module(String name) throws IOException {
        Path cached = GuestImages.CACHE.resolve("modules").resolve(name + ".ko");
        if (Files.exists(cached)) {
            return cached;
        }
        Path extra = GuestImages.CACHE.resolve("snapshot-modules").resolve(name + ".ko");
        if (!Files.exists(extra)) {
            fetchModule(name, extra);
        }
        return extra;
    }

    private static void fetchModule(String name, Path target) throws IOException {
        String version = kernelVersion();
        Path work = Files.createTempDirectory("wrenn-kernel-deb");
        try {
            Command.of("apt-get", "download", "linux-image-" + version)
                    .in(work)
                    .withTimeout(Duration.ofMinutes(5))
                    .run();
            Path deb;
            try (var files = Files.list(work)) {
                deb = files.filter(f -> f.toString().endsWith(".deb"))
                        .findFirst()
                        .orElseThrow();
            }
            Path tree = work.resolve("tree");
            Command.of("dpkg-deb", "-x", deb.toString(), tree.toString())
                    .withTimeout(Duration.ofMinutes(2))
                    .run();
            Path ko;
            try (var found = Files.walk(tree)) {
                ko = found.filter(p -> p.getFileName().toString().equals(name + ".ko"))
                        .findFirst()
                        .orElseThrow(() -> new IOException(name + ".ko not in linux-image-" + version));
            }
            Files.createDirectories(target.getParent());
            Files.copy(ko, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Command.of("rm", "-rf", work.toString()).run();
        }
    }

    /** The kernel release the cached modules were built for (their vermagic), e.g. 6.1.0-56-cloud-amd64. */
    private static String kernelVersion() throws IOException {
        String text = new String(
                Files.readAllBytes(GuestImages.CACHE.resolve("modules/virtio.ko")), StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("vermagic=(\\S+)").matcher(text);
        assertThat(m.find()).as("vermagic in cached virtio.ko").isTrue();
        return m.group(1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
