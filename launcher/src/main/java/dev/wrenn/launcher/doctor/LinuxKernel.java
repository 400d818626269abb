package dev.wrenn.launcher.doctor;

import dev.wrenn.launcher.doctor.Probes.CgroupV2;
import dev.wrenn.launcher.doctor.Probes.KernelFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The running kernel's features, from what is live (a device, a loaded module) or else its build configuration
 * ({@code /proc/config.gz}, {@code /boot/config-<release>}) or module lists: a module not loaded yet is loaded on
 * first use.
 */
final class LinuxKernel implements Probes.Kernel {
    private final String release =
            readOr(Path.of("/proc/sys/kernel/osrelease"), "").strip();
    private String config;

    @Override
    public Optional<Boolean> has(KernelFeature feature) {
        Optional<Path> live = livePath(feature);
        if (live.isPresent() && Files.exists(live.get())) {
            return Optional.of(true);
        }
        Optional<String> module = module(feature);
        if (module.isPresent() && Files.isDirectory(Path.of("/sys/module", module.get()))) {
            return Optional.of(true);
        }
        String key = feature.configKey();
        String text = config();
        if (!text.isEmpty()) {
            return Optional.of(text.contains("\n" + key + "=y") || text.contains("\n" + key + "=m"));
        }
        if (module.isPresent()) {
            return inModuleLists(module.get());
        }
        return Optional.empty();
    }

    @Override
    public Optional<CgroupV2> cgroupV2() {
        return readOr(Path.of("/proc/self/mounts"), "")
                .lines()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > 2 && fields[2].equals("cgroup2"))
                .map(fields -> Path.of(fields[1]))
                .findFirst()
                .map(mount -> new CgroupV2(mount, controllers(mount)));
    }

    static long memAvailable() {
        return readOr(Path.of("/proc/meminfo"), "")
                .lines()
                .filter(line -> line.startsWith("MemAvailable:"))
                .map(line -> line.replaceAll("[^0-9]", ""))
                .mapToLong(kib -> Long.parseLong(kib) * 1024)
                .findFirst()
                .orElse(0);
    }

    private static Set<String> controllers(Path mount) {
        return Arrays.stream(
                        readOr(mount.resolve("cgroup.controllers"), "").strip().split("\\s+"))
                .filter(word -> !word.isEmpty())
                .collect(Collectors.toSet());
    }

    private static Optional<Path> livePath(KernelFeature feature) {
        return switch (feature) {
            case TUN -> Optional.of(Path.of("/dev/net/tun"));
            case NET_NS -> Optional.of(Path.of("/proc/self/ns/net"));
            case USERFAULTFD -> Optional.of(Path.of("/proc/sys/vm/unprivileged_userfaultfd"));
            case VETH, NFTABLES -> Optional.empty();
        };
    }

    private static Optional<String> module(KernelFeature feature) {
        return switch (feature) {
            case TUN -> Optional.of("tun");
            case VETH -> Optional.of("veth");
            case NFTABLES -> Optional.of("nf_tables");
            case NET_NS, USERFAULTFD -> Optional.empty();
        };
    }

    private Optional<Boolean> inModuleLists(String module) {
        Path dir = Path.of("/lib/modules", release);
        String lists = readOr(dir.resolve("modules.builtin"), "") + readOr(dir.resolve("modules.dep"), "");
        if (lists.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(lists.contains("/" + module + ".ko"));
    }

    private synchronized String config() {
        if (config == null) {
            config = "\n" + gunzipped(Path.of("/proc/config.gz")) + readOr(Path.of("/boot/config-" + release), "");
            config = config.isBlank() ? "" : config;
        }
        return config;
    }

    private static String gunzipped(Path file) {
        if (!Files.isReadable(file)) {
            return "";
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readNBytes(8 << 20), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
