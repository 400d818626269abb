package dev.wrenn.launcher.doctor;

import dev.wrenn.host.sys.Privileges;
import dev.wrenn.launcher.doctor.Probes.Ownership;
import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** The probes asked of this machine; the kernel's are in {@link LinuxKernel}, KVM's in {@link KvmProbe}. */
public final class LinuxProbes {
    private LinuxProbes() {}

    /** @param bootKvm whether the KVM probe may boot the guest kernel (seconds; {@code wrenn up} leaves it out) */
    public static Probes of(Path dataDir, boolean bootKvm) {
        return new Probes(
                LinuxProbes::onPath,
                new KvmProbe(dataDir, bootKvm),
                new LinuxKernel(),
                new Probes.Resources() {
                    @Override
                    public long freeDiskBytes(Path dir) {
                        return freeBytes(dir);
                    }

                    @Override
                    public long availableMemoryBytes() {
                        return LinuxKernel.memAvailable();
                    }
                },
                LinuxProbes::portFree,
                LinuxProbes::ownership,
                Privileges.isRoot());
    }

    static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .anyMatch(file -> Files.isRegularFile(file) && Files.isExecutable(file));
    }

    static long freeBytes(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? 0 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    static boolean portFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (BindException e) {
            // Only "in use" is a finding; "permission denied" (a low port, not root) says nothing about the port.
            return !String.valueOf(e.getMessage()).contains("in use");
        } catch (IOException e) {
            return true;
        }
    }

    static Optional<Ownership> ownership(Path dir) {
        if (!Files.exists(dir)) {
            return Optional.empty();
        }
        try {
            long uid = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
            return Optional.of(new Ownership(Files.isDirectory(dir), uid, Files.getPosixFilePermissions(dir)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading the owner and mode of " + dir, e);
        }
    }
}
