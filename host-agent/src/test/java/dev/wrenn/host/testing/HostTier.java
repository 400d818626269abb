package dev.wrenn.host.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of the host tier (root, QEMU, iproute2, nftables, busybox). A missing one fails the test with the
 * package to install: the tier is never skipped silently.
 */
public final class HostTier {
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private HostTier() {}

    public static void requireRoot() {
        assertThat(ProcessHandle.current().info().user().orElse(""))
                .as("host tests manage namespaces and VMs and must run as root")
                .isEqualTo("root");
    }

    public static void requireTools() {
        requireRoot();
        requireExecutable("/usr/bin/qemu-system-x86_64", "qemu-system-x86");
        requireExecutable("/usr/bin/qemu-img", "qemu-utils");
        requireExecutable("/usr/sbin/nft", "nftables");
        requireExecutable("/usr/sbin/ip", "iproute2");
        requireExecutable(BUSYBOX.toString(), "busybox-static");
    }

    private static void requireExecutable(String path, String debianPackage) {
        assertThat(Files.isExecutable(Path.of(path)))
                .as("%s is missing: apt-get install %s", path, debianPackage)
                .isTrue();
    }
}
