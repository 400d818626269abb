package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.sys.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A bootable test guest: Debian's cloud kernel (downloaded with apt-get once and cached) and a busybox initramfs
 * built here that loads the virtio modules, configures eth0 as 169.254.0.21/30 and serves HTTP on port 80, a TCP
 * echo on port 7 and {@code /health} on the guest agent's port 49983, so readiness checks pass. Independent of
 * the real guest image, which images/build.sh makes.
 */
public final class GuestImages {
    public static final Path CACHE = Path.of("/var/cache/wrenn-test/guest");
    public static final String READY_LINE = "wrenn-test-guest: network up";
    public static final String HELLO = "hello from the guest\n";
    private static final List<String> MODULES =
            List.of("virtio_ring", "virtio", "virtio_mmio", "failover", "net_failover", "virtio_net");

    private GuestImages() {}

    public static synchronized Path kernel() throws IOException {
        Path vmlinuz = CACHE.resolve("vmlinuz");
        if (!Files.exists(vmlinuz)) {
            unpackKernel();
        }
        return vmlinuz;
    }

    public static synchronized Path initramfs() throws IOException {
        kernel();
        Path image = CACHE.resolve("initramfs.cpio.gz");
        Path partial = CACHE.resolve("initramfs.cpio.gz.partial");
        try (CpioWriter cpio = new CpioWriter(new GZIPOutputStream(Files.newOutputStream(partial)))) {
            for (String dir : List.of("bin", "dev", "proc", "sys", "tmp", "www", "lib", "lib/modules")) {
                cpio.directory(dir);
            }
            cpio.charDevice("dev/console", 5, 1);
            cpio.file("bin/busybox", 0755, Files.readAllBytes(HostTier.BUSYBOX));
            cpio.file("init", 0755, initScript().getBytes(StandardCharsets.UTF_8));
            for (String module : MODULES) {
                cpio.file(
                        "lib/modules/" + module + ".ko",
                        0644,
                        Files.readAllBytes(moduleDir().resolve(module + ".ko")));
            }
        }
        Files.move(partial, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
                for m in %s; do insmod /lib/modules/$m.ko || echo "insmod $m failed"; done
                ip link set lo up
                ip addr add 169.254.0.21/30 dev eth0
                ip link set eth0 up
                ip route add default via 169.254.0.22
                printf '%s' > /www/hello.txt
                echo ok > /www/health
                httpd -p 80 -h /www
                httpd -p 49983 -h /www
                nc -ll -p 7 -e cat &
                echo "%s"
                while true; do sleep 3600; done
                """.formatted(String.join(" ", MODULES), HELLO.replace("\n", "\\n"), READY_LINE);
    }

    private static Path moduleDir() throws IOException {
        return CACHE.resolve("modules");
    }

    private static void unpackKernel() throws IOException {
        Path debs = Files.createDirectories(CACHE.resolve("debs"));
        String pkg = kernelPackage();
        Command.of("apt-get", "download", pkg)
                .in(debs)
                .withTimeout(java.time.Duration.ofMinutes(5))
                .run();
        Path deb;
        try (var files = Files.list(debs)) {
            deb = files.filter(f -> f.getFileName().toString().startsWith(pkg + "_"))
                    .findFirst()
                    .orElseThrow();
        }
        Path tree = CACHE.resolve("kernel-tree");
        Command.of("dpkg-deb", "-x", deb.toString(), tree.toString())
                .withTimeout(java.time.Duration.ofMinutes(2))
                .run();
        String version = pkg.substring("linux-image-".length());
        Path modules = tree.resolve("lib/modules/" + version + "/kernel");
        Files.createDirectories(moduleDir());
        try (var found = Files.walk(modules)) {
            for (Path ko : found.filter(
                            p -> MODULES.contains(p.getFileName().toString().replace(".ko", "")))
                    .toList()) {
                Files.copy(
                        ko, moduleDir().resolve(ko.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(tree.resolve("boot/vmlinuz-" + version), CACHE.resolve("vmlinuz"));
        // Only the kernel and six modules are kept: the unpacked package and the .deb are ~100 MB.
        deleteTree(tree);
        deleteTree(debs);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The versioned package the cloud kernel meta-package depends on, e.g. linux-image-6.1.0-56-cloud-amd64. */
    private static String kernelPackage() {
        String depends = Command.of("apt-cache", "depends", "linux-image-cloud-amd64")
                .run()
                .stdout();
        String pkg = depends.lines()
                .map(String::strip)
                .filter(line -> line.startsWith("Depends: linux-image-"))
                .map(line -> line.substring("Depends: ".length()))
                .findFirst()
                .orElse("");
        assertThat(pkg)
                .as("apt-cache knows no linux-image-cloud-amd64 dependency: run apt-get update first")
                .isNotEmpty();
        return pkg;
    }
}
